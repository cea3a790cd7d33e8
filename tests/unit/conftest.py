import random

import pytest

from loandesk.demo import demo_record
from loandesk.storage import Store


@pytest.fixture
def home(tmp_path):
    return tmp_path / "home"


@pytest.fixture
def store(home):
    s = Store.open(home, branch="HZ01")
    yield s
    s.close()


@pytest.fixture
def intake():
    """A valid intake as a form holds it (strings), from the demo generator."""
    rec = demo_record(random.Random(5), 1)
    rec.update(enterprise_name="杭州恒瑞五金制品有限公司", legal_rep_name="欧阳娜娜",
               abnormal_operation=False, dishonest_debtor=False, has_loan_history=False)  # fmt: skip
    return {k: (str(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in rec.items()}
