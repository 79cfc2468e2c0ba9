"""Operations: what the people running the bot need around it (logs without secrets, JSON logs,
metrics, health). Outside the core: the core only calls the neutral hook in bot.core.observe.
Import the submodule you need (prometheus_client is imported only by bot.ops.metrics)."""
