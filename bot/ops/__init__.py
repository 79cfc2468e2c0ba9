"""Operations around the bot: metrics, health checks, JSON logs. Outside the core: the core only
calls the neutral hook in bot.core.observe. Import the submodule you need (prometheus_client is
imported only by bot.ops.metrics)."""
