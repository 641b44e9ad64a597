"""The derive fixture's tables and derived figures, loaded once for every chart test module."""
import pytest

from exodus.charts import figures
from exodus.stages import derive
from tests.conftest import FIXTURES

FIX = FIXTURES / "derive"


@pytest.fixture(scope="module")
def t():
    return derive.load_tables(FIX, names=figures.TABLES)


@pytest.fixture(scope="module")
def derived(t):
    return derive.build(t, FIX / "derived.csv")
