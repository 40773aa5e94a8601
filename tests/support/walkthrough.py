"""The README's walkthroughs read as scripts: each ```http block of a section is one step.

A block's first line is a comment: who sends the request (`anyone`, or `as [the] <name>`: with
`Authorization: Bearer {<name>}`), then, separated by " — ", `answers <status>`,
`keep <path> as {<name>}[, <path> as {<name>}]`, `<path> is <JSON>` and
`wait until <path> is <JSON>` (the request is repeated until it holds). The next line is
`METHOD /path`, and what follows, if anything, is the JSON body. The one other step is
`# open {<name>} in a browser and press Pay`: the sandbox checkout's Pay button, pressed.

Paths are jq-like: `.id`, `.results[0].team.name`, `.[0].id`, and `.members[].user.id` for a
list of every member's id. `{<name>}` is a value kept by an earlier step: in a path or URL as
text, in a JSON body or an expected value as JSON (a list stays a list).
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

NAME = r"\{([a-z][a-z0-9_]*)\}"
PATH = r"\.(?:[A-Za-z_]\w*)?(?:\[\d*\]|\.[A-Za-z_]\w*)*"
PAY = re.compile(rf"# open {NAME} in a browser and press Pay")
REQUEST = re.compile(r"(GET|POST|PUT|PATCH|DELETE) (/\S*)")
WAIT_SECONDS = 30
# The checkout page's Pay button (billing/phonepe/sandbox/checkout.py): a form that POSTs.
PAY_FORM = re.compile(r'<form method="post" action="([^"]+/pay)">\s*<button[^>]*>Pay</button>')


class StepFailed(AssertionError):
    pass


@dataclass
class Step:
    text: str
    who: str | None = None
    pay: str | None = None
    method: str = ""
    path: str = ""
    body: str = ""
    status: int | None = None
    keeps: list[tuple[str, str]] = field(default_factory=list)
    checks: list[tuple[str, str]] = field(default_factory=list)
    waits: list[tuple[str, str]] = field(default_factory=list)


def section(markdown: str, title: str) -> str:
    """The text under `## title`, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    if match is None:
        raise ValueError(f"no section '## {title}'")
    return match.group(1)


def steps(markdown: str, title: str) -> list[Step]:
    blocks = re.findall(r"^```http\n(.*?)^```", section(markdown, title), re.M | re.S)
    return [parse_step(block.strip()) for block in blocks]


def parse_step(block: str) -> Step:
    comment, _, rest = block.partition("\n")
    step = Step(text=block)
    if pay := PAY.fullmatch(comment):
        if rest.strip():
            raise ValueError(f"a Pay step is the comment alone:\n{block}")
        step.pay = pay.group(1)
        return step
    if not comment.startswith("# "):
        raise ValueError(f"a step starts with a '# who — answers …' comment:\n{block}")
    who, *clauses = comment[2:].split(" — ")
    step.who = _who(who, block)
    for clause in clauses:
        _clause(step, clause)
    if step.status is None:
        raise ValueError(f"say what it answers ('answers 200'):\n{block}")
    request, _, body = rest.strip().partition("\n")
    if not (line := REQUEST.fullmatch(request.strip())):
        raise ValueError(f"the second line is 'METHOD /path':\n{block}")
    step.method, step.path, step.body = line.group(1), line.group(2), body.strip()
    return step


def _who(who: str, block: str) -> str | None:
    if who == "anyone":
        return None
    if name := re.fullmatch(r"as (?:the )?([a-z][a-z0-9_]*)", who):
        return name.group(1)
    raise ValueError(f"who sends it: 'anyone' or 'as <name>', not {who!r}:\n{block}")


def _clause(step: Step, clause: str) -> None:
    if answers := re.fullmatch(r"answers (\d{3})", clause):
        step.status = int(answers.group(1))
    elif clause.startswith("keep "):
        for part in clause.removeprefix("keep ").split(", "):
            if not (keep := re.fullmatch(rf"({PATH}) as {NAME}", part)):
                raise ValueError(f"cannot read {part!r} in:\n{step.text}")
            step.keeps.append((keep.group(1), keep.group(2)))
    elif wait := re.fullmatch(rf"wait until ({PATH}) is (.+)", clause):
        step.waits.append((wait.group(1), wait.group(2)))
    elif check := re.fullmatch(rf"({PATH}) is (.+)", clause):
        step.checks.append((check.group(1), check.group(2)))
    else:
        raise ValueError(f"cannot read {clause!r} in:\n{step.text}")


def pick(value: Any, path: str) -> Any:
    """The value at a jq-like path; `[]` maps the rest of the path over a list."""
    if not re.fullmatch(PATH, path):
        raise ValueError(f"not a path: {path!r}")
    return _pick(value, re.findall(r"\[(\d*)\]|([A-Za-z_]\w*)", path), path)


def _pick(value: Any, parts: list[tuple[str, str]], path: str) -> Any:
    if not parts:
        return value
    (index, key), rest = parts[0], parts[1:]
    if key:
        if not isinstance(value, dict) or key not in value:
            raise StepFailed(f"{path}: no {key!r} in {json.dumps(value)[:300]}")
        return _pick(value[key], rest, path)
    if not isinstance(value, list):
        raise StepFailed(f"{path}: not a list: {json.dumps(value)[:300]}")
    if index == "":
        return [_pick(item, rest, path) for item in value]
    if int(index) >= len(value):
        raise StepFailed(f"{path}: only {len(value)} items")
    return _pick(value[int(index)], rest, path)


def same(actual: Any, expected: Any) -> bool:
    """Equal as JSON (so `true` is not `1`)."""
    return json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


def press_pay(http: httpx.Client, checkout_url: str) -> httpx.Response:
    """Open the sandbox's checkout page and submit its Pay form, as a browser would (the answer,
    a redirect back to the merchant, is returned unfollowed)."""
    page = http.get(checkout_url)
    if page.status_code != 200:
        raise StepFailed(f"the checkout page answered {page.status_code}: {page.text[:500]}")
    form = PAY_FORM.search(page.text)
    if form is None:
        raise StepFailed(f"no Pay button on the checkout page:\n{page.text[-1500:]}")
    return http.post(urljoin(checkout_url, form.group(1)), follow_redirects=False)


class Walkthrough:
    """Runs steps in order against `base` (a live server), keeping what they say to keep."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.kept: dict[str, Any] = {}
        self.http = httpx.Client(timeout=30)

    def close(self) -> None:
        self.http.close()

    def run(self, all_steps: list[Step]) -> None:
        for number, step in enumerate(all_steps, start=1):
            try:
                if step.pay:
                    self.pay(step)
                else:
                    self.request(step)
            except StepFailed as failure:
                raise StepFailed(f"step {number} failed:\n{step.text}\n--> {failure}") from None

    def fill(self, text: str, *, as_json: bool) -> str:
        def value(match: re.Match[str]) -> str:
            if match.group(1) not in self.kept:
                raise StepFailed(f"{match.group(0)} was not kept by an earlier step")
            kept = self.kept[match.group(1)]
            return json.dumps(kept) if as_json else str(kept)

        return re.sub(NAME, value, text)

    def expected(self, text: str) -> Any:
        try:
            return json.loads(self.fill(text, as_json=True))
        except ValueError:
            raise StepFailed(f"not a JSON value: {text}") from None

    def pay(self, step: Step) -> None:
        checkout = self.fill(f"{{{step.pay}}}", as_json=False)
        pressed = press_pay(self.http, checkout)
        back = pressed.headers.get("location", "")
        if not pressed.is_redirect or not back.startswith(f"{self.base}/payments/return/"):
            raise StepFailed(f"Pay answered {pressed.status_code} to {back!r}, not our return page")

    def send(self, step: Step) -> httpx.Response:
        headers = {}
        if step.who is not None:
            headers["Authorization"] = f"Bearer {self.fill(f'{{{step.who}}}', as_json=False)}"
        body = None
        if step.body:
            try:
                body = json.loads(self.fill(step.body, as_json=True))
            except ValueError as exc:
                raise StepFailed(f"the body is not JSON ({exc})") from None
        url = self.base + self.fill(step.path, as_json=False)
        return self.http.request(step.method, url, headers=headers, json=body)

    def request(self, step: Step) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            response = self.send(step)
            problem = self.problem(step, response, step.waits)
            if problem is None or not step.waits:
                break
            if time.monotonic() > deadline:
                raise StepFailed(f"still not so after {WAIT_SECONDS} s: {problem}")
            time.sleep(0.2)
        problem = problem or self.problem(step, response, step.checks)
        if problem is not None:
            raise StepFailed(problem)
        for path, name in step.keeps:
            self.kept[name] = pick(response.json(), path)

    def problem(
        self, step: Step, response: httpx.Response, conditions: list[tuple[str, str]]
    ) -> str | None:
        """What differs from what the step says (None: nothing)."""
        said = f"answered {response.status_code}: {response.text[:1500]}"
        if response.status_code != step.status:
            return f"expected {step.status}, {said}"
        for path, expected in conditions:
            actual = pick(response.json(), path)
            if not same(actual, self.expected(expected)):
                return f"{path} is {json.dumps(actual)}, expected {expected}; {said}"
        return None
