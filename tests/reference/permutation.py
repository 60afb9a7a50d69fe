"""Independent check of the answer-level permutation test (keyness.csv p_perm).

Recomputes p_perm for one unigram of topic `all`, target 2021, reference
`rest` (2018, 2021, 2024 and 2025: the years of comparable genre), from
answer_sizes.csv and answer_counts.csv by drawing 200,000 random splits with
Python's random module (the Rust code draws 9,999 with SplitMix64 and stops
early for phrases far from significance). Run from output/tables after `all`:

    python3 ../../tests/reference/permutation.py 定力   # p about 2.5e-5; keyness.csv: 0.0001
    python3 ../../tests/reference/permutation.py 疫情   # p about 3e-5;   keyness.csv: 0.0001

(0.0001 = 1/(9999+1) is the smallest p the Rust test reports.)
"""
import csv, random, sys
sys.path.insert(0, __import__('os').path.dirname(__file__))
from keyness import g2
years = ('2018', '2021', '2024', '2025')
sz = [r for r in csv.DictReader(open('answer_sizes.csv', encoding='utf-8-sig')) if r['topic'] == 'all' and r['year'] in years]
target = [r for r in sz if r['year'] == '2021']; rest = [r for r in sz if r['year'] != '2021']
pool = target + rest; ids = [r['id'] for r in pool]; sizes = [int(r['n_tokens']) for r in pool]
cnt = {r['id']: int(r['n']) for r in csv.DictReader(open('answer_counts.csv', encoding='utf-8-sig'))
       if r['topic'] == 'all' and r['kind'] == 'unigram' and r['phrase'] == sys.argv[1]}
c = [cnt.get(i, 0) for i in ids]; k = len(target); N = len(pool); T = sum(sizes); F = sum(c)
obs = abs(g2(sum(c[:k]), F - sum(c[:k]), sum(sizes[:k]), T - sum(sizes[:k])))
rng = random.Random(1); ext = 0; R = 200000
for _ in range(R):
    s = rng.sample(range(N), k); a = sum(c[i] for i in s); na = sum(sizes[i] for i in s)
    if abs(g2(a, F - a, na, T - na)) >= obs - 1e-9 * max(obs, 1): ext += 1
print(sys.argv[1], "obs", obs, "p", (1 + ext) / (1 + R), "N", N, "k", k)
