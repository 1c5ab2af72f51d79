"""Reading an AppTest page: its figures, their traces, what it says."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import plotly.graph_objects as go
from streamlit.testing.v1 import AppTest


def _decode(value: Any) -> Any:
    """Plotly's JSON packs numeric arrays as {"dtype", "bdata"(, "shape")}: unpack them."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            shape = value.get("shape")
            if shape:
                array = array.reshape([int(n) for n in str(shape).split(",")])
            return array
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def figures(at: AppTest) -> list[go.Figure]:
    """The Plotly figures on the page, decoded from what the browser receives."""
    return [
        go.Figure(_decode(json.loads(element.proto.spec))) for element in at.get("plotly_chart")
    ]


def traces(figure: go.Figure) -> list[Any]:
    """Traces that draw points (legend keys are drawn from x=[None]; spans are lines)."""
    return [
        t
        for t in figure.data
        if t.x is not None and any(v is not None for v in t.x) and t.mode != "lines"
    ]


def texts(at: AppTest) -> str:
    """Every markdown, caption, text, info and warning on the page, to check what it says."""
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.text] + [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(part) for part in parts)
