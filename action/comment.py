"""Post the Markdown diff as a pull-request comment, or update the one posted before.

    python comment.py DIFF.md PULL_REQUEST_NUMBER

The comment carries a hidden marker (``<!-- ivraudit-diff KEY -->``, KEY from the audited paths,
so two jobs auditing different menus keep a comment each); a later run finds the comment by it
and edits it instead of adding another. Uses the GitHub REST API with GITHUB_TOKEN (the workflow
needs ``permissions: pull-requests: write``), GITHUB_API_URL, GITHUB_REPOSITORY; a comment above
GitHub's 65,536 characters is cut, pointing at the job summary. Standard library only: it runs
with the action's own Python. Exits 1 with a message when the API refuses (a pull request from a
fork gets a read-only token); the action then only warns.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

LIMIT = 65_536  # characters GitHub accepts in a comment


def marker(paths: str) -> str:
    """The hidden line that identifies this action's comment for these paths.

    >>> marker("menus/")
    '<!-- ivraudit-diff d4cd6ea21e16 -->'
    """
    key = hashlib.sha256(" ".join(paths.split()).encode("utf-8")).hexdigest()[:12]
    return f"<!-- ivraudit-diff {key} -->"


def body(markdown: str, mark: str, run_url: str) -> str:
    """The comment: the marker, then the diff, cut to GitHub's limit when longer."""
    text = f"{mark}\n{markdown}"
    if len(text) <= LIMIT:
        return text
    note = f"\n\n… cut here: the whole diff is in the job summary of [the workflow run]({run_url})."
    return text[:LIMIT - len(note)] + note


def api(method: str, url: str, token: str, payload: dict | None = None):
    request = urllib.request.Request(url, method=method, headers={
        "Accept": "application/vnd.github+json", "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "ivraudit-action"})
    if payload is not None:
        request.data = json.dumps(payload).encode("utf-8")
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def existing_comment(base: str, number: str, token: str, mark: str) -> int | None:
    """The id of the comment that carries ``mark``, looking through every page."""
    page = 1
    while True:
        found = api("GET", f"{base}/issues/{number}/comments?per_page=100&page={page}", token)
        for comment in found:
            if mark in (comment.get("body") or ""):
                return comment["id"]
        if len(found) < 100:
            return None
        page += 1


def post(markdown: str, number: str, environ=os.environ) -> str:
    """Create or update the comment; returns 'created' or 'updated'."""
    repository = environ["GITHUB_REPOSITORY"]
    base = f"{environ.get('GITHUB_API_URL', 'https://api.github.com')}/repos/{repository}"
    token = environ["GITHUB_TOKEN"]
    run_url = (f"{environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{repository}/actions/"
               f"runs/{environ.get('GITHUB_RUN_ID', '')}")
    mark = marker(environ.get("PATHS", ""))
    text = body(markdown, mark, run_url)
    found = existing_comment(base, number, token, mark)
    if found is None:
        api("POST", f"{base}/issues/{number}/comments", token, {"body": text})
        return "created"
    api("PATCH", f"{base}/issues/comments/{found}", token, {"body": text})
    return "updated"


def main(argv: list[str]) -> int:
    path, number = argv
    with open(path, encoding="utf-8") as file:
        markdown = file.read()
    try:
        done = post(markdown, number)
    except urllib.error.HTTPError as error:
        hint = " (a pull request from a fork, or no `permissions: pull-requests: write`?)" \
            if error.code in (403, 404) else ""
        print(f"ivraudit: GitHub refused the comment: HTTP {error.code}{hint}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, KeyError, OSError) as error:
        print(f"ivraudit: cannot comment on the pull request: {error}", file=sys.stderr)
        return 1
    print(f"ivraudit: {done} the diff comment on pull request #{number}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
