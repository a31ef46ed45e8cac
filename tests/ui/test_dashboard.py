"""The Streamlit page logic, driven headless by AppTest."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest


@pytest.fixture()
def app(run_page: Callable[..., AppTest]) -> AppTest:
    at = run_page("ui/views/gazetteer.py")
    assert not at.exception, at.exception
    return at


def test_page_renders_default_names(app: AppTest) -> None:
    assert app.title[0].value.startswith("Incident map")
    table = app.dataframe[0].value
    assert table["name"].tolist()[:2] == ["Quetta", "Nushki"]
    assert not app.warning
    captions = " ".join(c.value for c in app.caption)
    assert "OCHA" in captions and "GeoNames" in captions


def test_unresolved_names_are_listed_with_suggestions(app: AppTest) -> None:
    app.text_area(key="names").input("Panjgxyz\nQuetta").run()
    assert "Panjgxyz" in app.warning[0].value
    assert "Panjgur" in app.warning[0].value


def test_province_switch(app: AppTest) -> None:
    app.selectbox(key="province").select("Sindh").run()
    app.text_area(key="names").input("Nasirabad").run()
    assert app.dataframe[0].value["province"].tolist() == ["Sindh"]
