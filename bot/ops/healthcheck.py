"""``python -m bot.ops.healthcheck``: the container's HEALTHCHECK. Asks this host's /healthz.

Exit 0 when /healthz says 200 (or when no metrics_port is configured, so there is nothing to ask:
the container is then judged by its process alone); exit 1 when /healthz fails or does not answer.
The port comes from the same settings the bot reads (CLASSBOT_METRICS_PORT, the config file).
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

TIMEOUT = 4.0  # seconds; Docker's own --timeout should be a little longer


def main() -> int:
    from bot.config import load_settings
    from bot.core.errors import ConfigError

    try:
        port = load_settings().metrics_port
    except ConfigError as e:
        print(f"healthcheck: {e}", file=sys.stderr)
        return 1
    if not port:  # off (None), or 0 (a free port chosen at start: unknown from outside)
        print("healthcheck: metrics_port is not set, so there is no /healthz to ask; the process is running")
        return 0
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            print(response.read().decode("utf-8", "replace"))
            return 0
    except urllib.error.HTTPError as e:  # 503: a check failed; the body says which
        print(e.read().decode("utf-8", "replace"))
        return 1
    except (urllib.error.URLError, OSError) as e:
        print(f"healthcheck: no answer from {url}: {getattr(e, 'reason', e)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
