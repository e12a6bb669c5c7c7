"""The `holders_in_body` condition: holders and dates printed in the body, truth printed as said."""

import random

from samples.generate import HOLDERS_IN_BODY, make_document
from samples.layout import layout_document
from samples.specs import IN_BODY_BUILDERS, build_spec, long_date


def _truths(doc_type: str):
    for seed in range(15):
        rng = random.Random(seed)
        spec = build_spec(rng, doc_type, in_body=True)
        yield spec, " ".join("\n".join(page.text for page in layout_document(spec, rng)).split())


def test_decision_names_its_holder_in_the_first_article():
    for spec, text in _truths("quyet_dinh"):
        fields = spec.fields
        article = text[text.index("Điều 1.") : text.index("Điều 2.")]
        assert fields["holder_name"] in article and fields["address"] in article
        assert fields["holder_id"] in article.replace(" ", "")
        assert "Số:" in text and "issue_place" in fields


def test_certification_numbered_and_dated_only_in_its_statement():
    for spec, text in _truths("chung_thuc"):
        fields = spec.fields
        assert "Số:" not in text and "issue_place" not in fields
        assert f"Số chứng thực {fields['document_number']}," in text.replace("thực:", "thực")
        assert long_date(spec.issue_date).capitalize() in text


def test_household_business_dated_by_first_registration():
    changed = 0
    for spec, text in _truths("giay_chung_nhan_hkd"):
        fields = spec.fields
        assert "issue_place" not in fields
        assert f"Đăng ký lần đầu, {long_date(spec.issue_date)}" in text
        if "last_change_date" in fields:
            changed += 1
            assert fields["last_change_date"] > fields["issue_date"]
    assert changed  # some of 15 seeds carry a change


def test_condition_uses_the_in_body_builders_and_leaves_other_types_alone():
    assert set(IN_BODY_BUILDERS) == {"quyet_dinh", "chung_thuc", "giay_chung_nhan_hkd"}
    doc = make_document(random.Random(3), "chung_thuc", HOLDERS_IN_BODY)
    assert "Số chứng thực" in doc.truth["page_texts"][0]
    letter = make_document(random.Random(3), "cong_van", HOLDERS_IN_BODY)
    plain = make_document(random.Random(3), "cong_van", "clean")
    assert letter.truth == plain.truth
