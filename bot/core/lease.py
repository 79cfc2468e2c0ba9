"""Holding a database lease: one process at a time runs a job (the Slack trivia scheduler).

A holder renews its lease well before it expires; when the holder dies its lease runs out and the
next worker that asks takes it. Two holders never hold it at the same moment as far as the store
can tell; a holder that was stalled past its expiry may still finish a step it had begun, which is
why what the job does must also be safe on its own (trivia posts take a claim per server per day).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass

from bot.core.errors import StoreError
from bot.core.store import LeaseStore

log = logging.getLogger(__name__)

SCHEDULER_LEASE = "trivia-scheduler"


def holder_id() -> str:
    """Who this process is, for leases and claims: host, process id and a random part (a restarted
    process with a reused pid is still someone else)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class Lease:
    store: LeaseStore
    name: str
    holder: str
    ttl_seconds: float
    held: bool = False

    async def hold(self) -> bool:
        """Take or renew the lease; whether we hold it now. A database error counts as not holding."""
        try:
            now_held = await self.store.acquire_lease(self.name, self.holder, self.ttl_seconds)
        except StoreError as e:
            log.warning("could not renew the %s lease: %s", self.name, e)
            now_held = False
        if now_held != self.held:
            log.info("%s the %s lease (%s)", "took" if now_held else "lost", self.name, self.holder)
        self.held = now_held
        return now_held

    async def release(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            await self.store.release_lease(self.name, self.holder)
        except StoreError as e:  # it expires on its own
            log.warning("could not release the %s lease: %s", self.name, e)


__all__ = ["Lease", "SCHEDULER_LEASE", "holder_id"]
