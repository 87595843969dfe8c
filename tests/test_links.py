"""Links: internal links and anchors resolve (notebook pages included), images exist, external
links are well formed and listed in the bibliography; --network also fetches them."""

import urllib.request

import pytest
from sitecheck import check_external_links, check_internal_links, external_links


def test_internal_links_anchors_and_images_resolve(site):
    problems = check_internal_links(site)
    assert not problems, "\n".join(problems)


def test_external_links_are_well_formed_and_in_the_bibliography(site):
    problems = check_external_links(site)
    assert not problems, "\n".join(problems)


@pytest.mark.network
def test_external_links_answer(site):
    dead = []
    for url, pages in sorted(external_links(site).items()):
        req = urllib.request.Request(url, method="GET", headers={"User-Agent": "inside-the-llm-linkcheck"})
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:
                if resp.status >= 400:
                    dead.append(f"{sorted(pages)[0]}: {url} answered {resp.status}")
        except Exception as exc:  # any failure to fetch is a dead link for this check
            dead.append(f"{sorted(pages)[0]}: {url} failed: {exc}")
    assert not dead, "\n".join(dead)
