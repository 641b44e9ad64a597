"""Destinations to countries through the ISO 3166 list and the curated cities of data/places.csv."""
import pytest

from exodus.model import places
from exodus.stages.people_stats import destination_country


@pytest.mark.parametrize("destination,country", [
    ("Norway", "Norway"), ("Bishkek", "Kyrgyzstan"), ("Tbilisi, Georgia", "Georgia"), ("Uralsk, western Kazakhstan", "Kazakhstan"),
    ("Istanbul, Turkey (applying for a US talent visa)", "Turkey"), ("Baku", "Azerbaijan"), ("Czech Republic", "Czech Republic"),
    ("Czechia", "Czech Republic"), ("Mongolia", "Mongolia"), ("Upper Lars", "Georgia"), ("the UK", "United Kingdom"),
    ("Kazakhstan (implied: Orenburg is near the border)", "Kazakhstan"), ("", "none stated"),
    ("undecided: considering Georgia, Malaysia", "undecided"),
])
def test_destination_counts_for_its_country(destination, country):
    assert destination_country(destination) == country


def test_an_unknown_or_ambiguous_place_is_not_a_country():
    assert not places.is_country(destination_country("Atlantis"))
    assert not places.is_country(destination_country("Georgia or Armenia"))
    assert places.countries_in("Georgia or Armenia") == ["Georgia", "Armenia"]


def test_lower_case_abbreviations_are_not_places():
    assert places.countries_in("let us go") == []


def test_a_formula_may_name_a_country_by_any_of_its_names_but_never_an_unknown_one():
    from exodus.stages.people_stats import count_people
    people = [{"id": "a", "source_id": "s", "destination": "Istanbul"}, {"id": "b", "source_id": "s", "destination": "Bishkek"}]
    assert count_people(people, country="Türkiye").value == count_people(people, country="turkey").value == 1
    assert count_people(people, country="Kyrgyz Republic").people_ids == ("b",)
    with pytest.raises(ValueError, match="'Narnia' is not a country in ISO 3166 or data/places.csv"):
        count_people(people, country="Narnia")
    with pytest.raises(ValueError, match="'Bishkek' is not a country"):
        count_people(people, country="Bishkek")  # a city is a destination, not a country filter
