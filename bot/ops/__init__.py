"""Operations: what the people running the bot need around it (logs without secrets, metrics, health)."""
