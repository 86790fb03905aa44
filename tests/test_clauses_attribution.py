"""Clause layer, attribution: who says so, through which cue, about which words."""

from __future__ import annotations

from clause_helpers import one, read


def span(cl, words: str) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    i = cl.doc.text.index(words)
    return cl.base + i, cl.base + i + len(words)


def holders(cl, words: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.entity_id or a.text for a in cl.holders_of(*span(cl, words))]


def test_said_after_the_content() -> None:
    cl = one("The blockade is illegal, Nadia Farouk said.", persons=("Nadia Farouk",))
    assert holders(cl, "illegal") == ["nadia-farouk"]


def test_according_to() -> None:
    cl = one("According to the harbour authority, two ships sank.")
    att = cl.attribution_of(*span(cl, "two ships sank"))
    assert att is not None and att.kind == "according"
    assert [s.text for s in att.sources] == ["the harbour authority"]


def test_a_report_found_gives_its_author() -> None:
    cl = one("The Tribunal's report found that the detention was arbitrary.", orgs=("Tribunal",))
    att = cl.attribution_of(*span(cl, "arbitrary"))
    assert att is not None and att.document is not None and att.document.kind == "document"
    assert holders(cl, "arbitrary") == ["tribunal"]


def test_the_report_said_without_author_gives_the_document() -> None:
    cl = one("The report said the shelling was indiscriminate.")
    assert holders(cl, "indiscriminate") == ["The report"]
    assert cl.attribution_of(*span(cl, "indiscriminate")).document is not None


def test_a_statement_from_someone() -> None:
    cl = one("A statement from the Harbour Guild said the strike was unjustified.", orgs=("Harbour Guild",))
    assert holders(cl, "unjustified") == ["harbour-guild"]


def test_nested_reporting_keeps_the_relay_apart() -> None:
    cl = one("The news agency reported that the defence ministry said the raid was lawful.")
    inner = cl.attribution_of(*span(cl, "lawful"))
    assert inner is not None and [s.text for s in inner.sources] == ["the defence ministry"]
    outer = cl.attributions[inner.parent] if inner.parent is not None else None
    assert outer is not None and outer.relay and outer.cue_lemma == "report"
    assert holders(cl, "lawful") == ["the defence ministry"]


def test_an_outlet_relaying_nobody_named_is_no_holder() -> None:
    cl = one("The talks collapsed on Sunday, the agency reported.")
    assert cl.attributions and cl.attributions[0].relay
    assert holders(cl, "collapsed") == []


def test_citing_gives_evidence_not_the_source() -> None:
    cl = one("Yusuf Demir said, citing a leaked cable, that the deal was void.", persons=("Yusuf Demir",))
    att = cl.attribution_of(*span(cl, "void"))
    assert att is not None and [s.entity_id for s in att.sources] == ["yusuf-demir"]
    assert [e.text for e in att.evidence] == ["a leaked cable"]


def test_while_clause_with_its_own_speaker_is_cut_out() -> None:
    cl = one("Spain said the seizure was lawful, while Portugal called it piracy.")
    assert holders(cl, "lawful") == ["Spain"]
    assert holders(cl, "piracy") == ["Portugal"]


def test_two_speakers_share_a_cue() -> None:
    cl = one("Ahmed Saleh and Laila Karimi said the vote was rigged.", persons=("Ahmed Saleh", "Laila Karimi"))
    assert holders(cl, "rigged") == ["ahmed-saleh", "laila-karimi"]


def test_the_accused_is_not_the_holder() -> None:
    cl = one("The prosecutor accused Rami Tal of ordering the bombing.", persons=("Rami Tal",))
    assert holders(cl, "ordering the bombing") == ["The prosecutor"]


def test_a_reporters_caveat_is_not_the_speakers() -> None:
    cl = one("The governor said the fire was arson, but gave no evidence.")
    att = cl.attribution_of(*span(cl, "arson"))
    assert att is not None and att.caveats
    s, e = att.caveats[0]
    assert cl.doc.text[s - cl.base : e - cl.base].endswith("gave no evidence")
    assert not att.contains(*span(cl, "gave no evidence"))


def test_reportedly_has_no_named_source() -> None:
    cl = one("The convoy was reportedly ambushed near the border.")
    att = cl.attribution_of(*span(cl, "ambushed"))
    assert att is not None and att.kind == "adverb" and att.sources == []


def test_negated_cue() -> None:
    cl = one("The mayor did not say the march was banned.")
    assert cl.attributions[0].negated


def test_odd_number_of_quote_marks_does_not_break() -> None:
    cl = one('The envoy said "the ceasefire is over and talks are dead.')
    assert holders(cl, "the ceasefire is over") == ["The envoy"]


def test_direct_quote() -> None:
    cl = one('"We will respond," the spokesman said.')
    att = cl.attributions[0]
    assert att.direct and [s.text for s in att.sources] == ["the spokesman"]


def test_pronoun_speaker_resolves() -> None:
    cls = read("Amina Yusuf reached Cairo on Monday. She said the border was sealed.", persons=("Amina Yusuf",))
    i = cls[1].doc.text.index("sealed")
    assert [a.entity_id for a in cls[1].holders_of(cls[1].base + i, cls[1].base + i + 6)] == ["amina-yusuf"]


def test_a_long_title_before_the_name_gives_the_name() -> None:
    cl = one("The raid broke the law, UN Special Envoy on water, food and shelter Mara Olsen said.", persons=("Mara Olsen",))
    assert holders(cl, "broke the law") == ["mara-olsen"]


def test_a_capitals_dateline_without_dash() -> None:
    cl = one("GENEVA (Wire Service - 7 July, 2020) The envoy said the raid broke the law.")
    assert cl.dateline > 0 and holders(cl, "broke the law") == ["The envoy"]


def test_nesting_links_never_form_a_cycle() -> None:
    # two attributions over the same content each hold the other's cue: the chain must still end
    from pipeline.extract.clauses.attribution import acyclic

    assert acyclic([1, 0]) == [None, 0]
    assert acyclic([None, 0, 1]) == [None, 0, 1]  # an ordinary nesting is kept
    assert acyclic([2, 0, 1, 2]) == [None, 0, 1, 2]  # a longer cycle, and a chain into it
    assert acyclic([0]) == [None]


def test_a_caveat_inside_the_quotation_is_the_speakers() -> None:
    """'"They acted without giving evidence," he said': the quoted words are the source's, no caveat."""
    cl = one("“The police made the arrests without giving any evidence,” the mayor said.")
    att = cl.attribution_of(*span(cl, "made the arrests"))
    assert att is not None and att.caveats == []
    assert att.contains(*span(cl, "without giving any evidence"))


def test_a_participle_hung_in_a_claim_states_for_the_main_subject() -> None:
    """'A rejected the claims that B was guilty, stating that C': A states C, not B (the parse hangs
    'stating' inside the that-clause of 'claims')."""
    cl = one("The judge rejected police claims that Omar Rudd was a danger to the lives of officers, stating "
             "that the shooting was a crime.", persons=("Omar Rudd",))
    assert holders(cl, "the shooting was") == ["The judge"]
