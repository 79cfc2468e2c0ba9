"""Daily trivia, platform-free. One module per job:

- ``answers``: whether a typed answer is right (normalising, typos, numbers, dates).
- ``selection``: which item a channel gets next, its choices, reading a choice back.
- ``reveal``: what a reveal shows.
- ``rounds``: ``TriviaService``, the round service (record before posting, answers, reveal, scores).
- ``admin``: ``TriviaAdmin``, what teachers and students do with trivia (schedule, off, settings,
  now, leaderboard, stats, opting out), with the input checks, returning results adapters render.
"""
