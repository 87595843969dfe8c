"""Put a lab page's full content back after the search plugin has indexed its prose.

lab_pages.py gives the indexer only the Markdown cells (at high priority); this runs at low
priority, after the indexer and before the page template renders.
"""

from mkdocs.plugins import event_priority


@event_priority(-100)
def on_page_context(context, page, config, nav):
    full = getattr(page, "lab_full_content", None)
    if full is not None:
        page.content = full
        context["page"] = page
    return context
