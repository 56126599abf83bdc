"""`/roaststats` in the console: the chart written to the working folder, the figures printed."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from tests.process import roastbot


def test_chat_roaststats_writes_the_chart_and_prints_the_figures(tmp_path: Path) -> None:
    """Two roasts and a missing role, then /roaststats: one PNG saved, every figure as text."""
    lines = "/roast SDET\n/roast sdet salary\n/roast Quantum Llama Wrangler\n/roaststats\n"
    result = roastbot("chat", stdin=lines, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    (chart,) = tmp_path.glob("roaststats-*.png")
    with Image.open(io.BytesIO(chart.read_bytes())) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    printed = result.stdout.replace("\n", " ")
    assert "1. SDET: 2" in printed and "1. quantum llama wrangler: 1" in printed
    assert chart.name in printed


def test_chat_roaststats_of_a_bad_month_is_one_line(tmp_path: Path) -> None:
    """A month not written YYYY-MM: one line, and no file."""
    result = roastbot("chat", stdin="/roaststats 2026/11\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Give the month as YYYY-MM" in result.stdout
    assert list(tmp_path.glob("*.png")) == []
