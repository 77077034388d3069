"""The record format's newer fields, through the command line: evidence levels, recommendation statuses
(declined, superseded, unknown), outcome measures, themes, dates no document gives, targets as plans write
them, and links marked as a judgement."""

from __future__ import annotations

import json

from conftest import VALID_RECORDS, run
from gitrepo import GitRepoBuilder

REC = "records/recommendations/REC-1.yaml"
EV = "records/evidence/EV-1.yaml"
SRC = "records/sources/SRC-1.yaml"
OUT = "records/outcomes/OUT-1.yaml"
ACT = "records/actions/ACT-1.yaml"
THEME = "records/themes/THM-1.yaml"

REC_HEAD = "id: REC-1\nsource: SRC-1\ntext: Relaunch the safer sleeping guidance.\naims: [AIM-1]\n"
EV_HEAD = "id: EV-1\ntitle: Relaunch briefing slides\nsupports: [ACT-1]\n"
SRC_HEAD = "id: SRC-1\ntitle: Case X thematic review\ntype: local-review\n"
ACT_HEAD = "id: ACT-1\ntitle: Relaunch the guidance\nowner: Steering Group\nstatus: in-progress\n"
THEME_TEXT = "id: THM-1\ntitle: Safer sleeping\ndescription: Safe sleep for babies.\nkeywords: [safer sleeping]\n"

LEVELS_EXPLAINED = (
    "output means how much was done (sessions held, leaflets issued); quality means how well it was done "
    "(audit findings, practitioner or family feedback, compliance rates); impact means whether anyone is better "
    "off (a change in outcomes for babies and families). Leave 'level' out when the document does not make it "
    "clear"
)


def problems(root, *args):
    """The exit code and the problem lines of trace validate (the summary line left off)."""
    result = run(root, "validate", *args)
    return result.exit_code, result.output.strip().splitlines()[:-1]


def all_good(root, count=6):
    result = run(root, "validate")
    assert (result.exit_code, result.output.strip()) == (0, f"All good: {count} record(s), no problems."), result.output


# --- evidence level -----------------------------------------------------------------------------

def test_each_evidence_level_is_accepted(record_set):
    for level in ("output", "quality", "impact"):
        all_good(record_set({EV: EV_HEAD + f"date: '2022-02'\nlevel: {level}\n"}))


def test_a_wrong_level_is_refused_and_the_three_levels_are_explained(record_set):
    code, lines = problems(record_set({EV: EV_HEAD + "date: '2022-02'\nlevel: high\n"}))
    assert code == 1
    assert lines == [
        f"{EV}:5:1: 'level' is 'high', which is not allowed; use one of: output, quality, impact. {LEVELS_EXPLAINED}"
    ]


# --- recommendation status ------------------------------------------------------------------------

def test_unknown_status_is_accepted(record_set):
    all_good(record_set({REC: REC_HEAD + "status: unknown\n"}))


def test_a_status_not_in_the_list_names_all_five(record_set):
    code, lines = problems(record_set({REC: REC_HEAD + "status: done\n"}))
    assert (code, lines) == (1, [
        f"{REC}:5:1: 'status' is 'done', which is not allowed; use one of: open, complete, superseded, declined, "
        "unknown"
    ])


def test_declined_with_a_reason_and_a_date_is_accepted(record_set):
    all_good(record_set({REC: REC_HEAD + "status: declined\nreason: The national guidance covers it.\n"
                                          "decided: '2023-03-14'\n"}))


def test_declined_without_reason_or_date_is_refused_at_the_status_line(record_set):
    code, lines = problems(record_set({REC: REC_HEAD + "status: declined\n"}))
    because = ("a declined recommendation must have it: 'reason' says why the partnership decided not to act, "
               "'decided' when")
    assert code == 1
    assert lines == [
        f"{REC}:5:1: is missing the required field 'decided' ({because})",
        f"{REC}:5:1: is missing the required field 'reason' ({because})",
    ]


def test_declined_with_an_empty_reason_or_a_bad_date_is_refused(record_set):
    code, lines = problems(record_set({REC: REC_HEAD + "status: declined\nreason: ''\ndecided: 14/03/2023\n"}))
    assert code == 1
    assert lines == [
        f"{REC}:6:1: 'reason' is empty; write something or remove the field if it is optional",
        f"{REC}:7:1: 'decided' is '14/03/2023', which is not a date written as YYYY, YYYY-MM or YYYY-MM-DD "
        "(for example 2020, 2020-07 or 2020-07-15)",
    ]


def test_a_reason_on_an_open_recommendation_is_refused(record_set):
    code, lines = problems(record_set({REC: REC_HEAD + "status: open\nreason: Not now.\n"}))
    assert (code, lines) == (1, [
        f"{REC}:5:1: 'status' is 'open', which is not allowed; use one of: declined, superseded ('reason' and "
        "'decided' record a decision to decline a recommendation or to treat it as superseded; remove them, or "
        "change the status)"
    ])


def _with_second_recommendation(record_set, rec_1: str):
    return record_set({REC: rec_1, "records/recommendations/REC-2.yaml": REC_HEAD.replace("REC-1", "REC-2")
                       + "status: open\n"})


def test_superseded_by_another_recommendation_is_accepted(record_set):
    root = _with_second_recommendation(record_set, REC_HEAD + "status: superseded\nsuperseded_by: REC-2\n")
    all_good(root, count=7)


def test_superseded_by_is_checked_as_a_link(record_set):
    code, lines = problems(_with_second_recommendation(record_set, REC_HEAD + "status: superseded\n"
                                                                              "superseded_by: REC-3\n"))
    assert (code, lines) == (1, [
        f"{REC}:6:1: 'superseded_by' links to 'REC-3', but there is no record with that id; did you mean 'REC-2'?"
    ])
    code, lines = problems(_with_second_recommendation(record_set, REC_HEAD + "status: superseded\n"
                                                                              "superseded_by: ACT-1\n"))
    assert (code, lines) == (1, [
        f"{REC}:6:1: 'superseded_by' should list recommendations, but 'ACT-1' is an action (records/actions/ACT-1.yaml)"
    ])


def test_superseded_by_needs_the_superseded_status_and_another_recommendation(record_set):
    code, lines = problems(_with_second_recommendation(record_set, REC_HEAD + "status: open\nsuperseded_by: REC-2\n"))
    assert (code, lines) == (1, [
        f"{REC}:5:1: 'status' must be 'superseded' when 'superseded_by' is given; remove 'superseded_by' if the "
        "recommendation has not been replaced"
    ])
    code, lines = problems(record_set({REC: REC_HEAD + "status: superseded\nsuperseded_by: REC-1\n"}))
    assert (code, lines) == (1, [
        f"{REC}:6:1: a recommendation cannot be superseded by itself; name the recommendation that replaces it"
    ])


def test_unknown_and_open_recommendations_nobody_acts_on_are_gaps_but_declined_ones_are_not(record_set):
    extra = "records/recommendations/REC-{n}.yaml"
    root = record_set({
        extra.format(n=2): REC_HEAD.replace("REC-1", "REC-2") + "status: unknown\n",
        extra.format(n=3): REC_HEAD.replace("REC-1", "REC-3") + "status: open\n",
        extra.format(n=4): REC_HEAD.replace("REC-1", "REC-4") + "status: declined\nreason: Covered nationally.\n"
                                                                 "decided: '2022-05'\n",
    })
    result = run(root, "gaps", "--kind", "unaddressed-recommendation", "--format", "json", "--as-of", "2022-09-30")
    gaps = json.loads(result.stdout)["gaps"]
    assert result.exit_code == 1
    assert [(g["id"], g["line"], g["message"]) for g in gaps] == [
        ("REC-2", 5, "no action addresses this recommendation from SRC-1, and no document says it is complete, "
                     "declined or superseded (status: unknown); add an action with 'addresses: [REC-2]', or record "
                     "why the partnership will not act on it"),
        ("REC-3", 5, "no action addresses this open recommendation from SRC-1; add an action with "
                     "'addresses: [REC-3]', or record why the partnership will not act on it"),
    ]


# --- outcome measures ---------------------------------------------------------------------------

OUT_HEAD = "id: OUT-1\ntitle: Families understand safer sleeping\n"


def test_measures_with_numbers_and_words_are_accepted(record_set):
    all_good(record_set({OUT: OUT_HEAD + (
        "measures:\n"
        "  - indicator: Babies under one admitted with a non-accidental injury, per year\n"
        "    baseline: 14\n"
        "    baseline_date: '2021'\n"
        "    target: 10\n"
        "    remeasure_by: '2023-03'\n"
        "  - indicator: Families who can say the safer sleeping messages\n"
        "    baseline: not yet measured\n"
        "    target: most families asked at the new birth visit\n"
    )}))


def test_a_measure_needs_an_indicator_and_only_the_measure_fields(record_set):
    code, lines = problems(record_set({OUT: OUT_HEAD + "measures:\n  - baseline: 14\n    rate: 3\n"}))
    assert code == 1
    assert lines == [
        f"{OUT}:4:5: is missing the required field 'indicator' ('measures' item 1 must have it)",
        f"{OUT}:5:5: has the field 'rate', which 'measures' item 1 does not have; the fields allowed are: baseline, "
        "baseline_date, indicator, remeasure_by, target",
    ]


def test_measure_dates_are_checked_like_the_other_dates(record_set):
    code, lines = problems(record_set({OUT: OUT_HEAD + (
        "measures:\n  - indicator: Admissions\n    baseline_date: March 2021\n    remeasure_by: '2023-13'\n"
    )}))
    assert code == 1
    assert lines == [
        f"{OUT}:5:5: 'measures' item 1 → 'baseline_date' is 'March 2021', which is not a date written as YYYY, "
        "YYYY-MM or YYYY-MM-DD (for example 2020, 2020-07 or 2020-07-15)",
        f"{OUT}:6:5: 'measures' item 1 → 'remeasure_by': '2023-13' has month 13, but months run from 01 to 12",
    ]


def test_a_measure_value_must_be_a_number_or_words(record_set):
    code, lines = problems(record_set({OUT: OUT_HEAD + "measures:\n  - indicator: Admissions\n    baseline: [1, 2]\n"}))
    assert (code, lines) == (1, [
        f"{OUT}:5:5: 'measures' item 1 → 'baseline' should be the value before the work started: a number, or "
        "words where the measure is not a number, but it is a list"
    ])


# --- themes ---------------------------------------------------------------------------------------

def test_a_theme_and_a_recommendation_carrying_it_are_accepted_and_shown(record_set):
    root = record_set({THEME: THEME_TEXT, REC: REC_HEAD + "status: unknown\nthemes: [THM-1]\n"})
    all_good(root, count=7)
    shown = run(root, "show", "THM-1")
    assert shown.exit_code == 0
    assert shown.output.splitlines()[:2] == ["Theme THM-1", "File: records/themes/THM-1.yaml"]
    assert shown.output.split("\n\n")[-1].splitlines() == [
        "Recommendations carrying it (1):",
        "└─ REC-1  Relaunch the safer sleeping guidance.",
        "   source: SRC-1; coverage: planned",
    ]


def test_themes_are_checked_as_links(record_set):
    code, lines = problems(record_set({THEME: THEME_TEXT, REC: REC_HEAD + "status: open\nthemes: [THM-2, AIM-1]\n"}))
    assert (code, lines) == (1, [
        f"{REC}:6:10: 'themes' links to 'THM-2', but there is no record with that id; did you mean 'THM-1'?",
        f"{REC}:6:17: 'themes' should list themes, but 'AIM-1' is an aim (records/aims/AIM-1.yaml)",
    ])


def test_a_theme_needs_a_title_and_a_description(record_set):
    code, lines = problems(record_set({THEME: "id: THM-1\ntitle: Safer sleeping\nkeywords: safe sleep\n"}))
    assert (code, lines) == (1, [
        f"{THEME}:1:1: is missing the required field 'description' (a theme must have it)",
        f"{THEME}:3:1: 'keywords' should be a list of words and phrases that recommendations on this theme use, "
        "but it is 'safe sleep'",
    ])


def test_trace_new_numbers_a_theme_thm_1(record_set):
    root = record_set()
    result = run(root, "new", "theme", "--title", "Fathers and men", "--description", "Engaging fathers.")
    assert result.exit_code == 0, result.output
    assert (root / "records/themes/THM-1.yaml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../../schemas/theme.schema.json\n"
        "id: THM-1\ntitle: Fathers and men\ndescription: Engaging fathers.\n"
    )
    all_good(root, count=7)


# --- dates no document gives ------------------------------------------------------------------

def test_an_unknown_publication_date_with_its_bounds_and_their_basis_is_accepted(record_set):
    all_good(record_set({SRC: SRC_HEAD + "published: unknown\npublished_not_earlier_than: '2018'\n"
                                         "published_not_later_than: '2022'\nnotes: It cites Working Together 2018; "
                                         "the 2022 strategy lists it.\n"}))


def test_unknown_alone_is_accepted_and_a_made_up_word_is_not(record_set):
    all_good(record_set({SRC: SRC_HEAD + "published: unknown\n"}))
    code, lines = problems(record_set({SRC: SRC_HEAD + "published: sometime\n"}))
    assert (code, lines) == (1, [
        f"{SRC}:4:1: 'published' is 'sometime', which is not a date written as YYYY, YYYY-MM or YYYY-MM-DD "
        "(for example 2020, 2020-07 or 2020-07-15), or the word unknown when no document gives the date"
    ])


def test_a_bound_is_only_for_an_unknown_date_and_needs_its_basis_in_notes(record_set):
    code, lines = problems(record_set({SRC: SRC_HEAD + "published: '2022'\npublished_not_later_than: '2022'\n"}))
    assert code == 1
    assert lines == [
        f"{SRC}:4:1: 'published' must be 'unknown' when a bound ('published_not_earlier_than' or "
        "'published_not_later_than') is given: the bounds are for a date no document gives; write the date itself "
        "and remove the bounds, or write published: unknown",
        f"{SRC}:4:1: is missing the required field 'notes' (a date bound must say in 'notes' which document "
        "shows it)",
    ]


def test_bounds_in_the_wrong_order_or_not_real_are_refused(record_set):
    code, lines = problems(record_set({EV: EV_HEAD + "date: unknown\ndate_not_earlier_than: '2022-06'\n"
                                                     "date_not_later_than: '2021'\nnotes: The page says recently.\n"}))
    assert (code, lines) == (1, [
        f"{EV}:6:1: 'date_not_later_than' (2021) is before 'date_not_earlier_than' (2022-06); the latest a date "
        "can be cannot come before the earliest"
    ])
    code, lines = problems(record_set({EV: EV_HEAD + "date: unknown\ndate_not_later_than: '2022-13'\nnotes: n\n"}))
    assert (code, lines) == (1, [
        f"{EV}:5:1: 'date_not_later_than': '2022-13' has month 13, but months run from 01 to 12"
    ])


def test_show_says_an_evidence_date_is_unknown_and_what_bounds_it(record_set):
    root = record_set({EV: EV_HEAD + "date: unknown\ndate_not_later_than: '2022'\nlevel: output\n"
                                     "notes: The strategy of autumn 2022 reports it.\n"})
    shown = run(root, "show", "ACT-1")
    assert shown.exit_code == 0
    assert shown.output.split("\n\n")[-1].splitlines() == [
        "Evidence (1):",
        "└─ EV-1  Relaunch briefing slides",
        "   date: date unknown, not later than 2022; level: output",
    ]


def test_the_report_says_date_unknown_and_marks_a_judgement_link(tmp_path):
    repo = GitRepoBuilder(tmp_path / "partnership")
    files = dict(VALID_RECORDS)
    files[EV] = EV_HEAD + "date: unknown\ndate_not_later_than: '2022'\nnotes: Reported in the 2022 strategy.\n"
    files[ACT] = ACT_HEAD + "target: 2022-06\naddresses: [REC-1]\njudgement_links: [REC-1]\n"
    repo.commit("Records", "2022-05-10T09:00:00", files)
    result = run(repo.root, "report", "--quarter", "2022-23 Q1")
    assert result.exit_code == 0, result.output
    html = (repo.root / "reports/2022-23-Q1/report.html").read_text(encoding="utf-8")
    assert "EV-1 Relaunch briefing slides (date unknown, not later than 2022)" in html
    assert ("<strong class=\"id\">ACT-1</strong> Relaunch the guidance <em class=\"small\">(link is a judgement, "
            "not stated in the documents)</em>") in html
    md = (repo.root / "reports/2022-23-Q1/report.md").read_text(encoding="utf-8")
    assert "| **ACT-1** Relaunch the guidance *(link is a judgement, not stated in the documents)* |" in md


# --- targets ----------------------------------------------------------------------------------------

def test_targets_as_plans_write_them_are_accepted(record_set):
    for target in ("2022-spring..2022-summer", "2022-summer", "2021-12..2022-autumn", "not-set", "tba", "ongoing",
                   "quarterly", "monthly", "yearly"):
        all_good(record_set({ACT: ACT_HEAD + f"target: {target}\naddresses: [REC-1]\n"}))


def test_a_winter_target_or_a_backwards_season_range_is_refused(record_set):
    code, lines = problems(record_set({ACT: ACT_HEAD + "target: 2022-winter\naddresses: [REC-1]\n"}))
    assert (code, lines) == (1, [
        f"{ACT}:5:1: 'target': '2022-winter': winter spans two years; write it as months, such as 2022-12..2023-02"
    ])
    code, lines = problems(record_set({ACT: ACT_HEAD + "target: 2022-summer..2022-spring\naddresses: [REC-1]\n"}))
    assert (code, lines) == (1, [f"{ACT}:5:1: 'target': the range '2022-summer..2022-spring' ends before it starts"])


def test_a_season_target_is_due_at_the_end_of_its_last_month_and_open_ended_ones_never(record_set):
    def overdue(target, as_of):
        root = record_set({ACT: ACT_HEAD + f"target: {target}\naddresses: [REC-1]\n"})
        result = run(root, "gaps", "--kind", "overdue-action", "--format", "json", "--as-of", as_of)
        return [g["message"] for g in json.loads(result.stdout)["gaps"]]

    assert overdue("2022-spring..2022-summer", "2022-08-31") == []
    assert overdue("2022-spring..2022-summer", "2022-09-01") == [
        "this action was due by 31 August 2022 (target 2022-spring..2022-summer) and is not complete (status: "
        "in-progress); update its status, or agree a new target"
    ]
    for target in ("not-set", "quarterly", "tba"):
        assert overdue(target, "2030-01-01") == []


# --- links that are a judgement ---------------------------------------------------------------------

def test_a_judgement_link_is_accepted_and_marked_in_show(record_set):
    root = record_set({ACT: ACT_HEAD + "target: 2022-06\naddresses: [REC-1]\njudgement_links: [REC-1]\n"})
    all_good(root)
    action = run(root, "show", "ACT-1").output
    assert "Recommendations it addresses (1):\n└─ REC-1  Relaunch the safer sleeping guidance.\n" \
           "   source: SRC-1; coverage: planned; link: judgement\n" in action
    recommendation = run(root, "show", "REC-1", "--format", "json")
    assert json.loads(recommendation.stdout)["actions"][0]["link"] == "judgement"


def test_a_judgement_marker_must_name_one_of_the_records_own_links(record_set):
    code, lines = problems(record_set({ACT: ACT_HEAD + "target: 2022-06\naddresses: [REC-1]\n"
                                                       "judgement_links: [REC-1, OUT-1]\n"}))
    assert (code, lines) == (1, [
        f"{ACT}:7:26: 'judgement_links' names 'OUT-1', but this record does not link to it; list it in one of its "
        "links ('addresses', 'aims', 'outcomes') or remove it from 'judgement_links'"
    ])


def test_an_unknown_date_belongs_to_no_period_unless_its_bounds_put_it_there():
    import datetime as dt

    from learntrace.dates import date_span, falls_within

    quarter = (dt.date(2022, 4, 1), dt.date(2022, 6, 30))
    assert falls_within(date_span({"date": "2022-05"}, "date"), *quarter)
    assert not falls_within(date_span({"date": "2022"}, "date"), *quarter)  # the year is wider than the quarter
    assert not falls_within(date_span({"date": "unknown"}, "date"), *quarter)
    assert not falls_within(date_span({"date": "unknown", "date_not_later_than": "2022-06"}, "date"), *quarter)
    bounded = {"date": "unknown", "date_not_earlier_than": "2022-04", "date_not_later_than": "2022-06"}
    assert falls_within(date_span(bounded, "date"), *quarter)
    assert date_span({"published": "unknown", "published_not_later_than": "2021"}, "published").end \
        == dt.date(2021, 12, 31)


def test_renaming_a_recommendation_rewrites_its_judgement_marks_and_superseded_by(record_set):
    root = record_set({
        ACT: ACT_HEAD + "target: 2022-06\naddresses: [REC-1]\njudgement_links: [REC-1]\n",
        "records/recommendations/REC-2.yaml": REC_HEAD.replace("REC-1", "REC-2") + "status: superseded\n"
                                              "superseded_by: REC-1\n",
    })
    result = run(root, "rename", "REC-1", "REC-9")
    assert result.exit_code == 0, result.output
    action = (root / ACT).read_text(encoding="utf-8")
    assert "addresses: [REC-9]\njudgement_links: [REC-9]\n" in action
    assert "superseded_by: REC-9\n" in (root / "records/recommendations/REC-2.yaml").read_text(encoding="utf-8")
    all_good(root, count=7)
