"""The department directory: canonical names, older names, levels, kinds, collectives."""

from __future__ import annotations

import pytest

from ingest.departments import DIRECTORY, find_units, lookup, normalize, resolve_unit


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("市发改委", "市发展和改革委员会"),
        ("市发展改革委", "市发展和改革委员会"),
        ("南通市发改委", "市发展和改革委员会"),
        ("市经信委", "市工业和信息化局"),
        ("市工信局", "市工业和信息化局"),
        ("市规划局", "市自然资源和规划局"),
        ("市国土局", "市自然资源和规划局"),
        ("市环保局", "市生态环境局"),
        ("市住建局", "市住房和城乡建设局"),
        ("市交通局", "市交通运输局"),
        ("市农委", "市农业农村局"),
        ("市文广新局", "市文化广电和旅游局"),
        ("市旅游局", "市文化广电和旅游局"),
        ("市卫计委", "市卫生健康委员会"),
        ("市人社局", "市人力资源和社会保障局"),
        ("市市场监管局", "市市场监督管理局"),
        ("市科技局", "市科学技术局"),
        ("市金融办", "市地方金融监督管理局"),
        ("市数据局", "市大数据管理局"),
        ("市安监局", "市应急管理局"),
        ("南通市市场监督管理局", "市市场监督管理局"),
        ("\u3000南通市发改委;", "市发展和改革委员会"),  # full-width space, trailing punctuation
    ],
)
def test_abbreviations_and_older_names_resolve(surface: str, canonical: str) -> None:
    entry = lookup(surface, "南通")
    assert entry is not None and entry.name == canonical
    assert entry.level == "市" and entry.kind == "department"


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("各县(市)区政府", "各县(市)区政府"),
        ("各县、市、区政府", "各县(市)区政府"),
        ("各县（市、区）人民政府", "各县(市)区政府"),
        ("各辖市区政府", "各县(市)区政府"),
        ("各街道", "各街道"),
        ("各街道办事处", "各街道"),
        ("各乡镇", "各乡镇"),
        ("各乡镇(街道)", "各乡镇"),
        ("各有关部门", "各有关部门"),
        ("市各有关部门", "各有关部门"),
    ],
)
def test_collective_units_are_kept_as_such(surface: str, canonical: str) -> None:
    entry = lookup(surface, "盐城")
    assert entry is not None and entry.name == canonical and entry.kind == "collective"


def test_city_prefix_only_the_city_s_own() -> None:
    assert lookup("南通海关", "南通").name == "海关"  # type: ignore[union-attr]
    assert lookup("人民银行南通市中心支行", "南通").name == "人民银行市中心支行"  # type: ignore[union-attr]
    # a county-level city's body is not the municipal one
    assert lookup("海门市政府办公室", "南通") is None
    assert lookup("江苏省发改委").level == "省"  # type: ignore[union-attr]


def test_unknown_units_are_kept_under_their_surface() -> None:
    entry = resolve_unit("通州湾示范区管委会", "南通")
    assert entry.name == "通州湾示范区管委会" and not entry.known
    assert resolve_unit("各社区", "南通").kind == "collective"
    assert resolve_unit("省海事局", "南通").level == "省"


def test_directory_is_consistent() -> None:
    keys: dict[str, str] = {}
    for entry in DIRECTORY.values():
        assert entry.level in {"国家", "省", "市", "县区"}
        assert entry.kind in {"department", "collective"}
        if entry.counterpart is not None:
            assert DIRECTORY[entry.counterpart].level == "市"
        for name in entry.names:
            # no name means two different units
            assert keys.setdefault(normalize(name), entry.name) == entry.name, name
    municipal = [e for e in DIRECTORY.values() if e.level == "市" and e.kind == "department"]
    assert len(municipal) >= 50
    assert sum(1 for e in municipal if e.remit) >= 45


def test_find_units_in_running_text() -> None:
    text = "由南通市行政审批局牵头,会同市发改委向省工信厅报送。"
    found = [(m.entry.name, m.surface, m.offset) for m in find_units(text, "南通")]
    assert found == [
        ("市行政审批局", "南通市行政审批局", 1),
        ("市发展和改革委员会", "市发改委", 14),
        ("省工业和信息化厅", "省工信厅", 19),
    ]
    for _, surface, offset in found:
        assert text[offset : offset + len(surface)] == surface
