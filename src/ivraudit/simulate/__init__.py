"""Caller simulation: scripted calls, an interactive phone, personas, Monte Carlo and the exact
Markov analysis (docs/simulate.md).

- call.py: the call engine (exact seconds) and script.py, its scripted driver (`simulate --keys`);
  playing.py: what a node plays (its segments, when an option is announced or heard);
- phone.py: the interactive phone (`ivraudit call`);
- personas.py and personas/*.yaml: who calls;
- intent.py, chain.py: what a persona does (the key it means), as a Markov chain;
- markov.py: the exact solution; montecarlo.py: the sampled one (numpy);
- audit_personas.py: the persona metrics of the audit; output.py: text and JSON output.

Nothing here imports numpy or scipy at module level.
"""
