"""The Slack adapter: the same Q&A and daily trivia as Discord, through slack-bolt.

Modules: ``app`` (build, connect, ``run(settings)``), ``ask`` / ``feedback`` / ``trivia`` (one
``register(app, rt)`` per listener area), ``commands`` (teacher checks, /trivia parsing), ``render``
(Block Kit, escaping and limits) and ``runtime`` (what listeners share). Slack libraries are imported
lazily, inside functions, so importing this package costs nothing.
"""
