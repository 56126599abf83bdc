"""CPU time per file record: the picture against the HTML page, side by side in one run.

Draws every bundled dossier's picture and page, then prints CPU milliseconds per request
for each and their ratio (picture / page), and the largest PNG. The web routes keep the
64 most asked pictures drawn, so the ratio is the cost of a first request only.

    .venv/bin/python bench/images.py [--rounds N]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bot.catalog.lookup import Catalog
from bot.catalog.model import Role
from bot.images.record import render_record
from bot.web.pages import SERVER, record_page


def cpu_ms_per_role(catalog: Catalog, rounds: int, draw: Callable[[Role], object]) -> float:
    """CPU milliseconds per call of `draw`, over every role `rounds` times."""
    start = time.process_time()
    for _ in range(rounds):
        for role in catalog:
            draw(role)
    return (time.process_time() - start) * 1000 / (rounds * len(catalog))


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    rounds = parser.parse_args().rounds
    catalog = Catalog.load()
    render_record(catalog.roles[0], catalog)  # load the faces once, outside the measure
    picture = cpu_ms_per_role(catalog, rounds, lambda role: render_record(role, catalog))
    page = cpu_ms_per_role(catalog, rounds, lambda role: record_page(role, catalog, SERVER))
    largest = max(len(render_record(role, catalog)) for role in catalog)
    print(f"picture: {picture:.1f} ms CPU per role ({len(catalog)} roles x {rounds})")
    print(f"page:    {page:.2f} ms CPU per role")
    print(f"ratio picture/page: {picture / page:.0f}x; largest PNG {largest / 1024:.0f} KB")


if __name__ == "__main__":
    main()
