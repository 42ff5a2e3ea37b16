"""axe-core (npm, test-only: static/map/node_modules/axe-core) in real Chromium: inject it into
the open page and list the WCAG 2.1 A/AA violations (BITV 2.0) with their ids, targets and help."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "static/map/node_modules/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
    summaries: v.nodes.map((n) => n.failureSummary),
  }));
}"""


def violations(page) -> list[dict]:
    """The axe violations of the page as it is now: [{id, impact, help, targets, summaries}]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # the page's CSP refuses inline scripts (add_script_tag); DevTools evaluation is exempt
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    return page.evaluate(_RUN, TAGS)


def describe(found: dict[str, list[dict]]) -> str:
    """``{page: violations}`` as readable lines for an assertion message."""
    lines = []
    for name, items in found.items():
        for v in items:
            lines.append(f"{name}: {v['id']} ({v['impact']}) {v['help']}")
            for target, summary in zip(v["targets"], v["summaries"], strict=False):
                lines.append(f"    {target}: {summary.splitlines()[-1].strip()}")
    return "\n".join(lines)
