"""Persons, organizations and person mentions, read from the text of any source.

What belongs here: finding where real named individuals and organizations are named
(``detect_mentions``, one source at a time, no cross-source state), deciding which mentions
name the same person across forms and sources (``resolve``), and building the ``persons``,
``organizations`` and ``person_mentions`` rows, the report and the ``EntityIndex`` later
extractors query (``assemble``). ``extract_entities`` runs the three over a corpus.

Detection unions several finders, then filters. Finders: spaCy's NER (PERSON spans); a title
rule (a capitalised name run after "President", "Maj. Gen.", "Brig Gen", "operative",
"Secretary of State" ...); credit and contributor lines ("AP Photo/X Y", "Reporting by X and Y
in Baghdad; Editing by Z"); appositions after the name ("X Y, the leader of ...", "X Y, 49, of
Brooklyn") and before it ("His prime minister, X Y, said"); Arabic-style names with particles
("Hadi al-Amiri", "Tamim bin Hamad Al Thani"); names after an alias cue ("also known as X Y")
or a verb taking a person ("charged X Y with"); names listed between two found names; the
curated gazetteer (raw/curated/persons.yaml); and full names whose surname the source uses
elsewhere only as a person's ("Eghbalian's husband"). A candidate is rejected when it is an
organization (curated or generic), contains a word no name contains ("Hezbollah", "Base"), opens
like a place or group name ("Wadi al-", "Asaib") or a campaign ("My ... Freedom"), follows a
place word ("Ain Assad": a surname inside a place name), is followed by a facility head ("Air Base"),
follows "province of", "Camp", "the aircraft carrier", is a known place, medium or work
(not_persons.yaml), a place by NER, or sits in a fiction or pseudonym context. Title-case
headlines only name people the body or the gazetteer names. Surnames of the source's full names
are then found again where the finders missed them; names joined by an alias cue or an infobox
"Birth Name" are linked; a relative introduced as such ("his daughter, Zeinab Soleimani") is
flagged; and each mention's role is read from its apposition or pre-modifier ("Iranian foreign
minister Javad Zarif").

Resolution: full names are grouped by transliteration-tolerant comparison (names.same_person),
a name written without its generational suffix in another source ("William Seely" ~ "William H.
Seely III") and a kunya alone ("Abu Ali" ~ "Abu Ali al-Askari") join their full name, and curated
entries go on top; a surname-only mention goes to the one person of its source with that surname
(relatives aside), to the nearest preceding full mention when two share it, else to the unique
person of other sources or curated data, and never to a "Jr." whose namesake is known; a first
name goes to the one person just named with it ("Hamed ... Hamed said", "Hajj Qassem"). Linked
names are merged last. Single names nobody resolves are skipped with a report line.

The package (one concern a file): ``words`` (English function words and patterns), ``curated``
(curated data and the model's spans), ``mention`` (records), ``finders`` (candidate spans by kind
of evidence), ``select`` (which candidates are names: ``reject_reason``), ``roles`` (a mention's
description), ``context`` (echoes, surnames found again, relatives, aliases), ``detect``
(``detect_mentions``, one source), ``resolve`` (across forms and sources) and ``rows`` (published
rows, ``assemble``, ``extract_entities``). This module re-exports the entry points.
"""

from __future__ import annotations

from pipeline.extract.persons.curated import (
    Curated,
    CuratedOrg,
    CuratedPerson,
    load_curated,
    load_ner,
    ner_spans,
)
from pipeline.extract.persons.detect import detect_mentions
from pipeline.extract.persons.finders import (
    alias_candidates,
    apposition_candidates,
    contributor_candidates,
    credit_candidates,
    find_orgs,
    gazetteer_candidates,
    is_title_case,
    object_candidates,
    particle_name_candidates,
    pre_apposition_candidates,
    title_rule_candidates,
)
from pipeline.extract.persons.mention import Mention, SourceMentions
from pipeline.extract.persons.resolve import Resolution, resolve
from pipeline.extract.persons.roles import country_from_role, find_role
from pipeline.extract.persons.rows import assemble, build_rows, extract_entities
from pipeline.extract.persons.select import reject_reason

__all__ = [
    "Curated", "CuratedOrg", "CuratedPerson", "Mention", "Resolution", "SourceMentions", "alias_candidates",
    "apposition_candidates", "assemble", "build_rows", "contributor_candidates", "country_from_role",
    "credit_candidates", "detect_mentions", "extract_entities", "find_orgs", "find_role",
    "gazetteer_candidates", "is_title_case", "load_curated", "load_ner", "ner_spans", "object_candidates",
    "particle_name_candidates", "pre_apposition_candidates", "reject_reason", "resolve",
    "title_rule_candidates",
]
