"""The vocabulary of deferral: phrases and headings that say a check or a piece of scope was left.

Kept as data, apart from the detector, so a new agent's wording is one more entry here rather
than a new branch in code. Each cue names the kind (`validation`: a check of this task's work not
done here; `work`: scope postponed or stubbed) and the reason the supervisor sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.model import DeferredKind, DeferredReason


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    kind: DeferredKind
    reason: DeferredReason
    needs_check_word: bool = False
    """Only a deferral when the line (or its list intro / section) talks about testing or checking."""
    in_code: bool = False
    """Also read inside code blocks (test-run output), where agents print SKIP and 'not running'."""
    setup: bool = False
    """A setup step owed by a person: a secret makes it a credentials matter, and a step that only
    enables a check ("add the key for runtime testing") defers that check."""
    sections: re.Pattern[str] | None = None
    """Only inside a section whose title matches ("No pagination yet" under Known Limitations)."""
    line_only: bool = False
    """The check word must be in the line itself, not only in its section or list intro."""
    """Also read inside code blocks (test-run output), where agents print SKIP and 'not running'."""


def _re(text: str) -> re.Pattern[str]:
    """Compile a cue. `[^.]` and `[^.;]` mean "within the sentence": a dot inside a path, a file
    name or a version (`./cmd/dem`, `openai.ts`, `v5.0.0`) does not end the sentence."""
    text = text.replace("[^.;]", r"(?:[^.;\n]|\.(?=\S))").replace("[^.]", r"(?:[^.\n]|\.(?=\S))")
    return re.compile(text, re.IGNORECASE)


CHECK_WORDS = _re(
    r"\b(test(s|ed|ing)?|validat(e|ed|ion|ing)|verif(y|ied|ication)|e2e|end-to-end|check(s|ed)?|smoke|qa)\b"
)
"""A requirement ("requires an API key") is a deferral only when it gates a check."""

_CREDENTIAL = (
    r"(api[ _-]?keys?|[A-Z][A-Z0-9_]*_(KEY|SECRET|TOKEN)|credentials?|jwt( token)?|tokens?(?! bucket)|"
    r"secrets?|service account|password|(integration|access|signing|license|licence|deploy|ssh|private|"
    r"publishable|webhook|routing|service) keys?|webhook url)"
)
_PERMISSION_GAP = (
    r"(\b(ci|iam|deploy(ment)?|service|runner|pipeline|build|bot|agent|aws|gcp|cloud|github|our|my)('s)? "
    r"(role|account|principal|token|key|user)\b[^.;]{0,40}\black(s|ing)?\b|"
    r"\b(has|have|needs?|must) to (add|grant) (that|the|this|those|these) (permissions?|access|role)\b)"
)
_PERMISSION_PENDING = (
    r"\b(once|when|after|until) (the |that )?(permission|access|role|grant|iam polic(y|ies))s? "
    r"(exists?|is (granted|added|in place|available))\b"
)
"""An access gap in the agent's own tooling ("which the CI role lacks"), not an app's access rule."""
_RUNNING = r"(server|backend|worker|service|api|database|db)s?"

LINE_CUES: tuple[Cue, ...] = (
    # Checks of this work that were not done here.
    Cue("deferred-to", _re(
        r"\b(validation|verification|testing|tests?|build|check|download)\b[^.;]{0,40}"
        r"\b(was |is |are |were )?(deferred|postponed)\b"), "validation", "later"),
    Cue("deferred-until", _re(
        r"\b(deferred|postponed) (to|until) (the )?(first|next|later|task|phase|plan|deploy|when|"
        r"[\w.-]+ deploy)"), "validation", "later"),
    Cue("will-occur", _re(r"\b(validation|verification|testing) will (occur|happen|take place)\b"),
        "validation", "later"),
    Cue("will-be-checked-when", _re(
        r"\b(will|to|can|should|must|needs? to) be (fully |further |manually )?(validated|verified|tested|"
        r"confirmed|checked|measured)\b[^.;]{0,40}\b(during (the )?(next |first |[\w.-]+ )?(deploy\w*|task|"
        r"phase|plan|milestone|integration|manual|qa|review|staging|release|rollout|uat|acceptance|e2e|"
        r"end-to-end|smoke|testing|verification|launch|go-live|sprint)|in (task|phase|plan|milestone)|later|"
        r"(when|once|after) [^.;]{0,40}\b(is|are|becomes?) (available|running|deployed|configured|set up|"
        r"ready|provisioned|installed|merged|implemented)|"
        r"before (deploy\w*|release|launch|going live|merg\w+)|at deploy|"
        r"in (a |the )?(later|future|next|follow-up)|manually|by (the )?(user|human|"
        r"qa|reviewer|supervisor|operator)|on (the )?(server|device|staging|production|hardware))\b"),
        "validation", "later"),
    Cue("to-be-run-later", _re(
        r"\b(will|is to|are to|to|should|must|needs? to|has to|have to) be (re-?)?run\b[^.;]{0,40}"
        r"\b(on (the )?staging|in staging|against staging|on (the )?(device|hardware|production)|"
        r"after [^.;]{0,30}\b(deploy\w*|release|merge|rollout)|once [^.;]{0,40}\b(deployed|available|"
        r"configured|provisioned|installed)|later|in (a |the )?(later|future|next|follow-up))\b"),
        "validation", "later", needs_check_word=True, line_only=True),
    Cue("will-be-checked", _re(
        r"\bwill be (fully )?tested( later| separately| next)?\s*[.)]?\s*$"),
        "validation", "later"),
    Cue("will-verify", _re(
        r"\b(task|phase|plan|milestone|qa|tester|reviewer|user|we|i|ci|deployment)\b[^.]{0,30}"
        r"\bwill (verify|validate|test|confirm)\b"), "validation", "later"),
    Cue("needs-verification", _re(
        r"(?<!email )(?<!account )(?<!phone )(?<!user )\bneeds? (verification|validation|testing)\b"),
        "validation", "later"),
    Cue("cannot-be-tested", _re(
        r"\b(cannot|can't|can ?not|couldn't|could not|unable to) be (fully |actually )?"
        r"([a-z]+( up| out)? (or|and|nor) )?(tested|verified|validated)\b|"
        r"\b(couldn't|could not|was unable to|were unable to) (fully )?"
        r"(test|verify|validate|check)\b"), "validation", "not-run"),
    Cue("not-tried", _re(
        r"\bnot (yet )?(been )?tried( yet| out)?\b|"
        r"\bonly (ran|run|tested|checked) (this |it )?(in|on) (the |a )?(simulator|emulator)\b"),
        "validation", "not-run"),
    Cue("could-not-run", _re(
        r"\b(build|tests?|test suite|checks?|scripts?|e2e|smoke test|binary|image)\b[^.;]{0,60}"
        r"\b(cannot|can't|can ?not|couldn't|could not|unable to) (fully )?(run|complete|build|execute|"
        r"finish|succeed)\b(?! (in parallel|concurrently|simultaneously|twice))|"
        r"\b(cannot|can't|couldn't|could not|unable to) (fully )?(run|complete|execute) "
        r"(the |a |any )?(full |complete )?(build|tests?|test suite|checks?|scripts?|e2e)\b"),
        "validation", "not-run"),
    Cue("not-run", _re(
        r"\b(tests?|testing|validation|verification|build|checks?|script|runs?|benchmarks?|evals?|evaluations?|"
        r"suites?|e2e|specs?)\b[^.;]{0,40}\bnot (been )?"
        r"(fully )?(run|executed|performed|tested|verified|validated|completed|done)\b"),
        "validation", "not-run"),
    Cue("not-tested", _re(
        r"\b((was|were|has|have) not been|(was|were|has|have)n't been|(was|were) not|not yet|not (fully|"
        r"actually)|never been) (fully |actually )?(human[- ]|manually |independently )?"
        r"(tested|verified|validated|exercised)\b|"
        r"\b(is|are|remains?|still|left) untested\b"),
        "validation", "not-run"),
    Cue("not-tested-because", _re(
        r"\bnot (yet )?(tested|verified|validated|exercised|checked)\b"
        r"( end[- ]to[- ]end| on device| locally)?\s*"
        r"(:|;|—|–|-|\(|,)\s*(no(?! (need|changes?|impact|risk|longer|code)\b)|needs?|requires?|because|"
        r"since|"
        r"due|without|pending|missing|lacking)\b"),
        "validation", "not-run"),
    Cue("real-run-not-done", _re(
        r"\b(real|actual|full|live|production)\b[^.;]{0,30}\b(was|were|has|have|is|are)( not|n't)"
        r"( been| yet)? "
        r"(executed|run|performed|applied)\b|\bdry[- ]run only\b|\bonly (a |the )?dry[- ]run\b"),
        "validation", "not-run"),
    Cue("subset-only", _re(
        r"\b(subset|sample|slice) only\b|"
        r"\bonly (on|with|against) (a|the) ([\w-]+ ){0,2}(subset|sample|slice)\b"),
        "validation", "not-run", needs_check_word=True),
    Cue("check-postponed-until", _re(r"\b(postponed|deferred|paused)\s+until\b"), "validation", "later",
        needs_check_word=True, line_only=True),
    Cue("postponed-until", _re(r"\b(postponed|deferred|paused)\s+until\b"), "work", "later"),
    Cue("placeholder-for-now", _re(
        r"\b(placeholders?|stubs?|stubbed( out)?|hard-?coded|mocked|fakes?|faked|dummy)\b[^.;]{0,20}"
        r"\bfor now\b"),
        "work", "stub"),
    Cue("is-todo", _re(r"\b(is|are|still|remains?) (a |an )?todo\b"), "work", "later"),
    Cue("needs-a-person", _re(
        r"\bneeds? (a person|a human|someone|a reviewer|a native speaker|a designer|a translator)\b"
        r"[^.;]{0,30}"
        r"\b(check|verify|review|test|look at|confirm|sign off|proofread)\b"), "validation", "manual"),
    Cue("partially-tested", _re(r"\b(partially|only partly) (tested|verified|validated)\b"),
        "validation", "not-run"),
    Cue("skip-marker", _re(r"^\W*SKIP(PED)?:"), "validation", "not-run", in_code=True),
    Cue("build-fail-env", _re(
        r"\bbuild\b[^.]{0,40}\b(fail(ed|s)?|could not complete)\b[^.]{0,40}\b(network|sandbox|"
        r"environment|offline)"), "validation", "environment"),
    Cue("requires-network", _re(
        r"\b(requires? (external )?network|with network access|when network (access )?is available|"
        r"network[- ]available|without network access)\b"), "validation", "environment"),
    Cue("requires-credentials", _re(
        rf"\b(requires?|need(s|ed)?|needing)\b[^.;]{{0,40}}{_CREDENTIAL}"),
        "validation", "credentials", needs_check_word=True),
    Cue("credentials-required", _re(rf"\b{_CREDENTIAL}\s+(are |is )?(required|needed)\b"),
        "validation", "credentials", needs_check_word=True),
    Cue("when-credentials", _re(
        rf"\b(when|once|after|until)\b[^.;]{{0,30}}{_CREDENTIAL}[^.;]{{0,20}}\b(are|is)?\s*"
        r"(available|configured|provided|set|received|added|arrives?|issued)\b"), "validation", "credentials",
        needs_check_word=True, line_only=True),
    Cue("after-receiving", _re(rf"\bafter (receiving|getting|obtaining)\b[^.;]{{0,30}}{_CREDENTIAL}"),
        "work", "credentials"),
    Cue("with-real-credentials", _re(
        r"\bwith (the |a )?(real|valid|actual|live|production|prod) ([\w-]+ )?(credentials|api keys?|"
        r"(signing|access|secret|integration|license) keys?|secrets?)\b"),
        "validation", "credentials"),
    Cue("requires-running", _re(
        rf"\brequires?\b[^.;]{{0,30}}{_RUNNING}\b[^.;]{{0,10}}(to be )?running\b"),
        "validation", "environment"),
    Cue("when-running", _re(
        rf"\b(when|once|until|after) (the )?(backend |api |dev )?{_RUNNING} (is |are )?"
        r"(running|up|started)\b"),
        "validation", "environment", needs_check_word=True, line_only=True),
    Cue("not-running", _re(rf"\b{_RUNNING} (is |was )?not running\b"), "validation", "environment",
        in_code=True),
    Cue("once-resolved", _re(
        r"\b(once|when|after) the [\w\s-]{0,30}(issue|mismatch|error|dependency issue) is "
        r"(resolved|fixed)\b"),
        "validation", "environment"),
    Cue("manual-testing", _re(
        r"\b(manual(ly)? (testing|verification|validation|test|check)s?( is| are)? (required|recommended|"
        r"needed|steps)|(requires?|needs?|for|via|offered for) manual (testing|verification|validation)|"
        r"(verify|test|validate|check|to be (verified|tested|validated|checked)) manually|"
        r"manual(ly)? (generate|verify|test|run|check))\b"),
        "validation", "manual"),
    Cue("to-fully-test", _re(r"\bto fully (test|validate|verify|exercise)\b"), "validation", "manual"),
    Cue("human-verify", _re(
        r"\b(checkpoint:human-verify|awaiting (human|user|manual) (sign-off|approval|verification|review)|"
        r"human sign-off)\b"), "validation", "manual"),
    Cue("ready-for-testing", _re(
        r"\bready (for|to) (live |integration |runtime |manual |e2e |end-to-end |daw )?"
        r"(testing|validation|validate|verification)\b[^.;]{0,20}\b(once|when|after|until|with real)\b"),
        "validation", "not-run"),
    Cue("prevents-full-check", _re(
        r"\bprevents? (a |the )?(full|complete|end-to-end) (build|test|run|check)|"
        r"\b(full|complete) (build|test run) (was )?not (achieved|possible|completed)"),
        "validation", "environment"),
    Cue("estimate-vs-requirement", _re(
        r"\bestimated?\b[^\n]{0,60}\b(requirement|target|limit|budget)\b"), "validation", "estimate"),
    Cue("tests-not-run-here", _re(r"\b(tests?|checks?) (were )?not run\b"), "validation", "not-run"),
    Cue("pending-marker", _re(r"⏳"), "validation", "not-run"),
    Cue("warn-deferred", _re(r"⚠️?\s*([\w-]+\s+){0,3}?(deferred|pending|not (run|tested|verified|done|applied|"
                             r"executed))\b"),
        "validation", "later"),
    Cue("before-deploy", _re(
        r"\b(must|needs? to|should|has to) be [\w\s,]{0,30}\bbefore (deploying|deployment|going live|"
        r"release)\b|"
        r"\b(must|needs? to|should|has to) be [^.;]{0,60}\bbefore (deploying|deployment|going live|go-?live|"
        r"launch)\b"),
        "work", "deployment"),
    Cue("post-deploy", _re(r"\b(post-deployment|during (the )?[\w.]+ deployment|during deployment)\b"),
        "validation", "deployment", needs_check_word=True, line_only=True),
    Cue("did-not-run", _re(
        r"\b(i |we )?(did not|didn't|have not|haven't|has not|hasn't|was not able to|wasn't able to|"
        r"were not able to|weren't able to|could not|couldn't) (yet )?(run|execute|test|verify|validate|"
        r"build|exercise)\b(?! into)|"
        r"\b(i|we) (can't|cannot|can not) (yet )?(run|execute|test|verify|validate)\b|"
        r"^\W*(can't|cannot|can not|couldn't) (yet )?(fully )?(run|execute|test|verify|validate|check)\b"),
        "validation", "not-run"),
    Cue("bare-not-tested", _re(
        r"(^|[|:–—-])\W{0,12}not (yet )?(tested|run)\b|(^|\|)\W{0,12}not (yet )?(verified|validated)\b|"
        r"\b(untested|unverified)(?=\s*($|[.,;)|]|(on|in|against|with|yet|locally|here|end-to-end|e2e)\b))"),
        "validation", "not-run"),
    Cue("pending-check", _re(
        r"\bpending (manual|human|user|qa|deployment|verification|validation|integration|e2e|review by)\b|"
        r"\b(deploy\w*|verification|validation|integration tests?|testing|qa|sign-off|smoke tests?|staging|"
        r"production|prod|device|e2e|ci)\s*(run\s*|check\s*|tests?\s*)?[:–—-]?\s*pending\b"),
        "validation", "later"),
    Cue("you-need-to", _re(
        r"\b(you('ll| will)? need to|you must|remember to|make sure to|the user (must|needs to|should)|"
        r"user needs to) (still )?(run|apply|set|add|install|configure|create|deploy|provision|"
        r"enable|populate|fill)\b"), "work", "environment", setup=True),
    Cue("re-enable-later", _re(
        r"\bre-?enable (the |this |these |that )?([\w-]+ ){0,2}(tests?|checks?|specs?|cases?)\b[^.;]{0,40}"
        r"\b(in|with|after|once|when|by) (task|phase|plan|step|milestone|the|a|[\w.-]+ (lands?|ships?))\b"),
        "validation", "later"),
    Cue("follow-up", _re(
        r"\b(in|for|into) a (separate |future |later )?follow[- ]?up( (task|pr|ticket|issue|change|"
        r"commit|plan))?\b(?! to\b)|\b(left|leave|deferred|punted|parked|moved)\b[^.]{0,30}\b(as|for|to) "
        r"(a )?follow[- ]?up\b(?! to\b)|\b(recorded|logged|noted|tracked|filed|kept|captured) as (a )?"
        r"([\w.-]+ ){0,3}follow[- ]?up( work| item| task)?\b|"
        r"\b(should|will|can) be a (small |separate |quick |later )?follow[- ]?up\b"), "work", "later"),
    Cue("left-to-someone", _re(
        r"\b(remains?|are|is|left) uncommitted\b|\bleft to the (orchestrator|user|owner|maintainer|human|"
        r"operator|reviewer)\b"), "work", "later"),
    Cue("review-only", _re(
        r"\b(verified|checked|validated|confirmed) (only )?by (code )?(review|reading|inspection)\b"
        r"[^.;]{0,40}\bnot (by|with|through) (a |an )?|"
        r"\bonly (reviewed|checked|inspected) (in|by) (code|reading)\b"),
        "validation", "not-run"),
    Cue("paused-marker", _re(r"(⏸️?|⌛)\s*(deferred|postponed|pending|on hold|paused)\b"), "work", "later"),
    Cue("skip-emoji", _re(r"⏭️?\s*skip"), "validation", "not-run"),
    Cue("no-x-yet", _re(r"^\W*no [\w\s/-]{1,40}\byet\b"), "work", "later",
        sections=_re(
            r"\b(limitations?|known issues|caveats|gaps|not (yet )?(done|implemented)|remaining|todo)\b"
        )),
    Cue("marker-pending", _re(r"(⚠️?|⏳)\s*(\|\s*)?[^|]{0,60}\bpending\b"), "validation", "later"),
    Cue("needs-real-device", _re(
        r"\b(needs?|requires?|requiring) (a |an )?(real|physical|actual) ([\w-]+ )?"
        r"(device|phone|hardware|browser|"
        r"printer|account|gpu)\b"), "validation", "environment"),
    Cue("not-yet-applied", _re(
        r"\b(has|have|was|were) not (yet )?been (applied|deployed|run|executed|pushed|released|migrated)\b"),
        "work", "later"),
    Cue("task-needed", _re(r"\((task|plan|phase)\s+[\w.-]+\)\s+(is\s+)?(needed|required)\b"),
        "validation", "later"),
    Cue("manual-qa", _re(r"\b(needs?|requires?|pending|awaiting) (manual |human )?(qa|smoke test(ing)?)\b"),
        "validation", "manual"),
    Cue("only-synthetic-data", _re(
        r"\b(tested|validated|verified|run|ran|checked|exercised|benchmarked|measured)\b[^.;|]{0,20}"
        r"\bonly (with|on|against|using) (the |a )?(mock|mocked|seed|seeded|sample|synthetic|fake|dummy|"
        r"fixture|recorded|generated|test-mode|stub(bed)?)\b|"
        r"\bonly (with|on|against|using) (mock|mocked|seed(ed)?|sample|synthetic|fake|dummy|fixture|recorded|"
        r"stub(bed)?) (data|fixtures?|payloads?|inputs?|records?|responses?|files?)\b|"
        r"\b(run|ran|tested|validated) (on|against|with) (recorded |synthetic |sample |mock )?"
        r"(fixtures|mocks|sample data|seed data) only\b"),
        "validation", "environment"),
    Cue("not-run-against-real", _re(
        r"\bnot (yet )?(been )?(run|tested|verified|validated|exercised|measured|benchmarked) "
        r"(against|on|in|with) (the |a |an )?(real|live|production|prod|actual|staging|full|"
        r"[\w-]+ (warehouse|cluster|server|device|account|environment|instance|hardware))\b"),
        "validation", "environment"),
    Cue("estimate-not-measured", _re(
        r"\b(estimated?|estimates|extrapolated|projected|approximated)\b[^.;|]{0,80}"
        r"\bnot (yet )?(actually )?(measured|benchmarked|profiled|timed|run)\b|"
        r"\bextrapolated (from|to)\b|⚠️?\s{0,3}estimated?\b"),
        "validation", "estimate"),
    Cue("skipped-test", _re(
        r"(?:\b(skipped|disabled|quarantined|xfail(ed)?) (the |a |an |one |two |\d+ )?"
        r"([\w`./:-]+ ){0,4}(tests?|specs?|test suites?)\b|"
        r"\b(tests?|testing|specs?|suites?|checks?|benchmarks?)\b[^.;]{0,50}"
        r"\b(is|are|was|were|got|been|left|stays?|remains?) "
        r"(temporarily |currently |still )?(skipped|disabled|ignored|quarantined|marked (as )?(skip|xfail|"
        r"flaky|ignored?))\b|#\[ignore\]|@pytest\.mark\.(skip|xfail)\b|\b(it|describe|test)\.skip\(|"
        r"\bxit\(|\bt\.Skip\(|\b(must|needs? to|should|has to|to) be re-?enabled\b|\bun-?skip\b|"
        r"\bmarked (as )?@?(skip|xfail|ignored?)\b|"
        r"@skip\b)(?![^.;]{0,60}\b(as usual|as always|by design|as expected|intentionally)\b)"),
        "validation", "not-run"),
    Cue("not-covered-by-tests", _re(
        r"\bnot (yet )?(covered|exercised) by (the |any |our |a )?([\w-]+ ){0,2}(tests?|test suite|specs?)\b|"
        r"\b(no|without) (test )?coverage (for|of)\b[^.;]{0,40}\byet\b"),
        "validation", "not-run"),
    Cue("access-gap", _re(_PERMISSION_GAP), "validation", "credentials"),
    Cue("access-pending", _re(_PERMISSION_PENDING), "validation", "credentials", needs_check_word=True),
    Cue("before-we-can", _re(
        r"\bbefore (i|we|the agent) can (continue|proceed|test|verify|validate|run|finish|deploy|apply)\b"),
        "validation", "later"),
    Cue("needs-running", _re(
        r"\b(requires?|needs?|needing) (a |an |the )?(locally )?running [\w-]+"),
        "validation", "environment", needs_check_word=True),
    Cue("not-measured", _re(r"\b(not|never) (yet )?(been )?(measured|benchmarked|profiled|load[- ]tested)\b"),
        "validation", "not-run"),
    Cue("needs-kind-of-test", _re(
        r"\bneeds? (a |an )?(load|perf(ormance)?|stress|soak|security|penetration|accessibility|browser|"
        r"device|e2e|end-to-end|integration|smoke|manual|real-world) (test|tests|testing|audit|run)\b"
        r"(?! (harness|framework|tool|helper|script|file|fixture|utility|runner))"),
        "validation", "later"),
    Cue("left-for-person", _re(
        r"\b(left|leave|leaving) (it |this )?(for|to) (the )?(qa|reviewers?|users?|humans?|owners?|"
        r"ops( team)?|operators?|maintainers?)\b"), "validation", "manual"),
    Cue("check-not-done", _re(
        r"\b(audit|review|check|tests?|testing|qa|verification|validation|benchmarks?)\s{0,2}[:–—-]\s{0,2}"
        r"(not (yet )?(done|run|performed|started|measured)|skipped|todo)\b"
        r"(?![^.;]{0,20}\b(by design|intentional\w*|not needed|not applicable|n/a)\b)"),
        "validation", "not-run"),
    Cue("no-tests-yet", _re(
        r"\bno (?!(failing|failed|flaky|broken|red)\b)([\w-]+ ){0,2}(tests?|specs?|coverage)\b"
        r"(?!\s+(failures?|errors?|regressions?|flakes))[^.;]{0,30}\byet\b|"
        r"\bno ([\w-]+ ){0,3}(tests?|benchmarks?|checks?|audit) (was|were|has been|have been) "
        r"(run|done|performed|executed)\b"), "validation", "not-run"),
    Cue("not-on-real", _re(
        r"\bnot (on|in|against|with) (the |a |an )?(real|production|prod|live|actual|target) ([\w-]+ )?"
        r"(hardware|devices?|data|traffic|environment|cluster|servers?|database|volume|load|clients?|"
        r"accounts?|users?|browsers?)\b"), "validation", "environment"),
    Cue("only-checked-in", _re(
        r"\b(checked|tested|verified|validated|exercised) only (in|on|with) (the |a )?(preview|simulator|"
        r"emulator|dev server|laptop|sandbox|storybook|mock\w*)\b|"
        r"\bonly (checked|tested|verified|validated|exercised) (in|on|with) (the |a )?(preview|simulator|"
        r"emulator|dev server|laptop|sandbox|storybook|mock\w*)\b|"
        r"\b(verified|checked|tested|validated) (visually|by eye) only\b"),
        "validation", "not-run"),
    Cue("sandbox-lacks", _re(
        r"\bwhich (this|the) (sandbox|environment|container|machine|runner|ci|vm|host) (lacks|doesn't have|"
        r"does not have)\b"), "validation", "environment"),
    Cue("review-before-merge", _re(
        r"\bneeds? (a |an )?([\w-]+ ){0,2}review\b[^.;]{0,40}\bbefore (merg\w+|release|deploy\w*|launch|"
        r"going live|shipping)\b"), "validation", "manual"),
    Cue("needs-hardware", _re(
        r"\b(requires?|needs?) (a |an )?(gpu|tpu|cuda|mac|macos|windows|ios|android|arm64?)( [\w-]+)?\b"
        r"[^.;]{0,20}"
        r"\bto (test|benchmark|verify|validate|run|measure|profile)\b"), "validation", "environment"),
    Cue("rough-estimate", _re(r"\b(rough|ballpark|back-of-the-envelope) estimates?\b"),
        "validation", "estimate"),
    Cue("skipped-cell", _re(r"\|\s{0,3}\W{0,4}skipped\b"), "validation", "not-run"),
    # Scope postponed or stubbed.
    Cue("lands-in", _re(r"\b(lands?|arrives?|comes?|follows?) (in|with) (task|phase|plan|milestone) [\w.-]+"),
        "work", "later"),
    Cue("done-by-person", _re(
        r"\b(has|have|needs?) to be (done|run|applied|performed|executed|triggered|added|created|set|"
        r"configured|installed|rotated) by (someone|a person|a human|a maintainer|"
        r"the ops team|whoever|the (account|project|product|domain|repo|repository) (owner|admin))\b"),
        "work", "manual"),
    Cue("on-production-by-ops", _re(
        r"\b(has|have|needs?) to be [\w\s]{0,20}\b(installed|applied|run|configured|set up|enabled|deployed) "
        r"on (the )?(production|prod|staging|live) (server|cluster|host|box|environment|database|db)s?\b"),
        "work", "deployment"),
    Cue("pending-label", _re(r"^\W{0,4}pending\s{0,2}[:–—]\s{0,2}(?!(none|n/?a|nothing|no)\b)[a-z]"),
        "work", "later"),
    Cue("not-attempted", _re(
        r"\b(did not|didn't|have not|haven't|has not|hasn't) (yet )?attempt(ed)?\b|"
        r"\b(was|were|is|are) not (yet )?attempted\b|(^\W{0,4}|[-–—:,;(|]\s?)not (yet )?attempted\b"),
        "work", "later"),
    Cue("blocked-on", _re(
        r"\b(is|are|am|remains?|still|currently) ((blocked|on hold) (on|by|until|for|pending)|"
        r"waiting (on|until)|"
        r"waiting for (an? |the )?([\w-]+ ){0,3}(url|key|token|credentials?|access|approval|sign-?off|review|"
        r"decision|answer|reply|confirmation|task|plan|phase|fix|release|upgrade))\b|"
        r"(^\W{0,4}|[.;:!]\s{1,3})blocked (on|by|until)\b"),
        "work", "later"),
    Cue("moved-to", _re(
        r"\b(moved|moves|moving|pushed|punted|carried over|rolled over|handed (off|over)|bumped)\b "
        r"(it |this )?(to|into|until) (the next |a later |a future |a separate )?"
        r"(task|phase|plan|milestone|sprint|iteration|ticket)(\b|_)"),
        "work", "later"),
    Cue("arrow-to-task", _re(r"(→|->)\s*(task|story|phase|plan|milestone)[\s_-]?[A-Z]{0,3}\d"),
        "work", "later"),
    Cue("awaiting-sign-off", _re(
        r"\b(awaiting|pending|waiting (on|for)|needs?|requires?|without) (your |an? |the )?([\w-]+ )?"
        r"(sign-?off|go-ahead)\b|"
        r"\bstill need (the |a |an )?[\w'’-]+( [\w'’-]+)? (sign-?off|approval|go-ahead)\b|"
        r"\bneeds? (a |an )?review (from|by) (a |an |the )?[\w -]{1,30}\bbefore\b|"
        r"\b(awaiting|pending|waiting (on|for)) (your |an? |the )?([\w-]+ )?"
        r"approval\b|\b(awaiting|pending) (your |an? |the )?([\w-]+ ){0,2}(decision|answer|reply|"
        r"confirmation|input|feedback)\b"),
        "work", "manual"),
    Cue("stub-until", _re(
        r"\b(stub(s|bed)?( out)?|placeholders?|skeletons?|mock(s|ed)?|hard-?coded|dummy|fake)\b"
        r"(?:[^.]|\.(?=\d)|\.\s+(?=it will be (filled|replaced|implemented|wired)\b)){0,80}"
        r"\b(until(?! (the |a )?(users?|they|it is|focus|someone|people|an? admin))|belongs? to|"
        r"(will|to) be (replaced|implemented|filled|wired|completed|swapped|fleshed)|"
        r"for (a )?(later|future|next) (plan|phase|task)|"
        r"for (plan|phase|task) [\w.-]+|(plan|phase|task) [\w.-]+ (will|implements|fills|replaces)|"
        r"will (come|arrive|land) (in|with) (plan|phase|task|milestone) [\w.-]+)\b"),
        "work", "stub"),
    Cue("will-be-implemented", _re(
        r"\b(will be (implemented|added|replaced|filled( in)?|wired|populated|completed|set|configured|"
        r"created|handled|addressed) (on [\w\s]{1,30} )?(in|during|by|when|once)|"
        r"to be (implemented|added|replaced|filled( in)?|wired|populated|completed|handled|addressed|"
        r"fixed) "
        r"(in|during|when|once))\b"),
        "work", "later"),
    Cue("currently-placeholder", _re(
        r"\b(currently|still|yet)\b[^.]{0,60}\b(placeholders?|stubs?|stubbed|hard-?coded)\b|"
        r"\b(placeholder|stub(bed)?)\b[^.]{0,60}\b(currently|not yet|yet)\b|"
        r"\b(doesn't|does not|don't|do not)\b[^.]{0,40}\byet\b[^.]{0,40}\(placeholder|"
        r"\bdoesn't [\w\s]{0,30}\(placeholder"), "work", "stub"),
    Cue("not-yet", _re(
        r"\b(no [\w\s-]{1,30} support yet|not (yet )?(implemented|supported) yet|not yet (implemented|"
        r"supported|available|wired))\b"), "work", "later"),
    Cue("planned-for-task", _re(
        r"(?<!was )(?<!were )(?<!as )\b(planned|scheduled|slated|earmarked) for (a later |the )?"
        r"(task|phase|plan|story|milestone|sprint) [\w.-]*\d|"
        r"\b(postponed|deferred|pushed)\b[^.;]{0,60}\b(to|until|in|into) (the )?"
        r"(task|phase|plan|story|milestone|sprint) [\w.-]*\d|"
        r"\b(tracked|filed|logged|captured) (as|in|under) (a )?(separate )?"
        r"(task|story|ticket|issue)[\s_-]?[\w#.-]*\d"), "work", "later"),
    Cue("needs-machine", _re(
        r"\b(tests?|testing|e2e|checks?|verification|validation|benchmarks?|runs?)\b[^.;]{0,30}"
        r"\b(needs?|requires?) (a |an )?(device|gpu|tpu|simulator|emulator|mac|macos runner)\b(?!-)"
        r"(?![^.;]{0,60}\b(as usual|as always|by design|as expected|intentionally)\b)"),
        "validation", "environment"),
    Cue("left-for", _re(
        r"\b(left|postponed|deferred|saved) for (a |the )?(later|future|follow-up|next|task|phase|plan)\b"),
        "work", "later"),
    Cue("todo", _re(r"(^\W*|\s)(TODO|FIXME)(:|\s*\()"), "work", "later"),
    Cue("mocked-real-later", _re(
        r"\b(mocked|faked|stubbed)\b[^.]{0,120}\bthe real\b[^.]{0,60}\b(is|comes (in|with)|lands (in|with)|"
        r"will be|arrives (in|with)) (in )?(task|plan|phase|milestone)\b"), "work", "stub"),
    # "⏭️ Real client replaces the fake in Task 2.5": the next-track mark on work handed on
    Cue("next-marker", _re(r"^\W*(⏭|🔜)(?!\ufe0f?\s*skip)[^.]{0,80}\b(in|for|to|until|with) (task|plan|phase|"
                           r"milestone|the next)\b"), "work", "later"),
    Cue("labelled-deferred", _re(
        r"^\W*(deferred|postponed|not done|skipped)\s*:\s*(?!(none|n/?a|nothing|0)\b)"),
        "validation", "later"),
    Cue("known-gap", _re(r"^\W*known (gaps?|limitations?)\s*:\s*(?!(none|n/?a|nothing)\b)\w"),
        "work", "later"),
    Cue("only-someone-can", _re(
        r"\b(only|just) (the|a|an|our) [\w -]{1,30}\bcan (submit|approve|sign|complete|create|enable|grant|"
        r"publish|release)\b"), "work", "manual"),
    Cue("fails-here", _re(
        r"\b(fail(s|ed)? to|can't|cannot|could not|couldn't) (link|build|compile)\b[^.;]{0,20}\b(in|on) this "
        r"(container|machine|sandbox|environment|box|runner)\b"), "validation", "environment"),
    Cue("not-implemented-planned", _re(
        r"\bnot (yet )?implemented\b[^|]{0,120}\b(planned|tracked|ticketed|filed|queued) (as|in|for)\b"),
        "work", "later"),
    Cue("is-owed", _re(r"\b(is|are|remains?) (still )?owed\b"), "work", "later"),
    Cue("queued-as", _re(r"\bqueued (as|for|in) (a |the )?(task|ticket|phase|plan|follow-?up|story)\b"),
        "work", "later"),
    Cue("not-in-this-task", _re(
        r"^\W*not (migrated|implemented|done|included|covered|ported|converted|updated|handled|moved|wired)"
        r" (in|by|as part of) this (task|plan|pr|change|phase)\b"), "work", "later"),
    Cue("result-skipped", _re(r"(^\W*|\s)(result|outcome)\s*:\s*(skipped|not run|not tested)\b"),
        "validation", "not-run"),
    Cue("heuristic-until", _re(r"\b(heuristic|workaround|temporary)\b[^.]{0,30}\buntil\b"), "work", "later"),
    Cue("future-enhancement-of-limit", _re(r"\bcurrently uses\b[^.]{0,60}\bfuture enhancement\b"),
        "work", "later"),
    Cue("must-be-done-before", _re(
        r"\b(must|will need to|needs? to|has to) (still )?be (installed|created|applied|run|generated|"
        r"populated|configured|enabled|provisioned)\b[^.]{0,80}\bbefore\b"
        r"(?!\s+(use|using|calling|each|every|first use|instantiat\w*|the first request))|"
        r"\b(will need to|must still|still needs? to) "
        r"be (installed|created|applied|added|run|generated|populated|configured|enabled|set)\b"),
        "work", "later"),
    Cue("must-have-before", _re(
        r"\bmust have [^.]{0,60}\b(populated|set|configured|filled( in)?|provisioned)\b[^.]{0,40}"
        r"\bbefore\b(?!\s+(use|using|calling|each|every|first use|instantiat\w*|the first request))"),
        "work", "later"),
    Cue("must-install", _re(r"\(must be installed\b"), "work", "deployment"),
    Cue("not-applied", _re(
        r"\bnot (auto-)?(applied|generated|deployed|committed|installed) (by|in|yet|here|\()|"
        r"\bnot (auto-)?(applied|generated|deployed|committed)\b[^.]{0,20}\((requires|needs)"),
        "work", "later"),
    Cue("still-pending", _re(
        r"\b(commits?|deploy\w*|verification|validation|review|sign-off|tests?|testing|migrations?|checks?)"
        r"\b[^.]{0,40}\b(are|is|remains?|still) pending\b|\bpending (due|because)\b"),
        "work", "later"),
    Cue("placeholder-version", _re(r"\b(version|value|number)\b[^.]{0,40}\bas (a )?placeholder\b"),
        "validation", "later"),
)

PASS_QUALIFIER = _re(
    r"^\W*(validation|verification|tests?|testing|build|checks?|result|status)\W*:\W*"
    r"(pass(ed)?|partial(ly passed)?|ok|done|complete[d]?|success(ful)?)\b\W*[(\[](?P<qualifier>[^)\]]+)[)\]]"
)
"""A pass with a bracketed qualifier: "Validation: PASS (syntax only, build deferred)"."""

DEFERRING_QUALIFIER = _re(
    r"\b(only|pending|deferred|postponed|until|once|later|partial(ly)?|manual(ly)?|estimated?|skipped|"
    r"requires?|needs?|awaiting|not (yet )?(run|tested|verified|validated|executed|performed|built|deployed|"
    r"available|installed)|required (for|before|to))\b"
)
"""Words in a pass qualifier that take part of the pass back."""

NONE_COUNTED = _re(r"\b(0|no|zero|none)\s+(tests?\s+|checks?\s+)?(skipped|pending|deferred|manual)\b|"
                   r"\b(skipped|pending|deferred)\s*[:=]\s*0\b")
"""A count of nothing held back ("0 skipped", "pending: 0"): part of the pass, not taken from it."""

REMAINING_HEADING = _re(r"^\W*(what'?s|what is|still) (left|needed|missing|outstanding)\W*$|"
                        r"^\W*(not (yet )?done|outstanding (work|items)|open (items|tasks|work)|"
                        r"not (fixed|addressed|done) (here|yet|in this task))\W*$")
"""A section of this task's unfinished scope ("What's left"): owed work, unless the task failed."""

HEADING_CUES: tuple[tuple[re.Pattern[str], DeferredKind, DeferredReason], ...] = (
    (_re(r"\bmanual (testing|verification|validation|test|qa|checks?)s?\b.*\b(required|needed|recommended|"
         r"steps|if needed|pending|owed)\b"), "validation", "manual"),
    (_re(r"\b(testing|validation) recommendations?\b"), "validation", "manual"),
    (_re(r"\b(human|manual) (verification|sign-off|review) (required|needed|pending)\b"),
     "validation", "manual"),
    (_re(r"\bnext steps? (for|toward|towards) [\w\s]*(validation|testing|verification)\b"),
     "validation", "later"),
    (_re(r"\b(runtime|live|e2e|end-to-end|full) (validation|testing)\b.*\(requires? [^)]*\)"),
     "validation", "credentials"),
    (_re(r"\b(action|actions|steps?) required before (deployment|deploying|release)\b"),
     "work", "deployment"),
    (_re(r"\bdeployment requirements?\b"), "work", "deployment"),
    (_re(r"\bpost-deployment\b"), "validation", "deployment"),
    (_re(r"\buser setup required\b"), "work", "environment"),
    (_re(r"\bknown stubs?\b"), "work", "stub"),
    (REMAINING_HEADING, "work", "later"),
    (_re(r"\b(deferred|postponed|pending) (work|items?|validation|verification|checks?|tests?|tasks?)\b|"
         r"^\W*deferred\W*$"), "validation", "later"),
    (_re(r"\b(not (yet )?(tested|verified|validated)|untested|unverified)\b"), "validation", "not-run"),
    (_re(r"^\W*gaps( summary| found| remaining)?\W*$"), "work", "later"),  # GSD VERIFICATION's open gaps
)
"""Sections whose content is, by the heading alone, a deferral."""

SETTLED_HEADING = _re(r"(?<!not )(?<!not yet )\b(closed|resolved|completed|done|cleared|addressed|fixed)\b")
"""A heading that reports deferrals settled ("Deferred Items Closed") is evidence, not a deferral."""

INSTRUCTION_HEADINGS = _re(
    r"^\W*(manual (testing|verification|validation|qa|test plan|checks?)|how to (test|verify|validate)|"
    r"testing instructions|verification steps|to (test|verify|validate)( manually)?|qa (steps|checklist))\b"
)
"""Headings that hold either results (done) or instructions for a person (owed): read the content."""

INSTRUCTION_START = _re(
    r"^\W*(\d+[.)]\W*)?(run|open|start|install|navigate|go to|click|use|visit|set|create|upload|"
    r"log ?in|sign ?in|verify|test|check|load|copy|launch|deploy|confirm|try|ensure|execute|call|send|"
    r"to (test|verify|validate))\b"
)
RESULT_MARKERS = _re(
    r"✅|✔|\b(passed|succeeded|worked|works|confirmed|verified that|tested with|returned|observed)\b"
)

CHECKLIST_SECTION = _re(r"\b(checklist|integration|manual|qa|remaining|pending|to ?do|follow[- ]?ups?)\b")
"""A section of all-unchecked boxes titled like a to-do list is a list of checks owed; criteria
copied from the plan ("Verification", "Success Criteria") are not, unticked or not."""

BUG_CONTEXT = _re(
    r"\b(root cause|bug|previously|before (the|this) (fix|change)|used to|caused|allowed|vulnerab\w*|"
    r"regression)\b"
)
"""A fix report describing the fault ("the signature was not verified, which allowed ...")."""

RESOLVED_HERE = _re(
    r"\b(resolved|replaced|done|implemented|wired|filled)\b[^|]{0,40}\b(this (plan|task|phase)|here)\b")
"""A stub row closed by the very report that lists it ("Resolved by plan 02-03 (this plan)")."""

NEGATION_OPENERS = _re(r"^\W*(none|n/a|nothing|no (external|user|manual|additional|further) |"
                       r"no (gaps|blockers|open (items|gaps))\b)")
"""A paragraph opening like this says the section has nothing to defer."""

NOTHING_RUN = _re(
    r"\bno ([\w-]+ ){0,3}(tests?|checks?|benchmarks?|builds?) (were|was|have been|has been) run\b"
)
"""Reads like a done marker ("were run") but says the opposite."""

REMAINING_INTRO = _re(
    r"^\W*((what'?s|what is|still) (left|remaining|outstanding|to do)|remaining( work| items| steps)?|"
    r"left to do|not (yet )?done|open items|to-?do)\W*$"
)
"""A list intro whose items are this task's unfinished work ("What's left:")."""

DONE_MARKERS = _re(
    r"\b(successfully (ran|run|tested|verified|validated)|(human|user)-approved|approved all|later ran|"
    r"has since been|now passes|were run|was run|confirmed (by|via|with)|re-?ran)\b|"
    r"\b(deferred|postponed|put off) from\b[^;\n]{0,80}\b(passed|passes|succeeded|green|works)\b|"
    r"\bnow (runs?|ran|execute[sd]?) and (pass(es|ed)?|succeed(s|ed)?)\b|"
    r"\bnow runs?\b[^.;]{0,40}\b(\d+ passed|passes|passed|green)\b|"
    r"\b(is|are|has been|have been) now (done|run|complete|completed|passing)\b|"
    r"\bhuman[- ]verify\b[^.;\n]{0,30}\b(approved|passed|signed off|accepted)\b|"
    r"\b(was|were|has been|have been) (done|run|performed|completed|carried out) (this session|today|here "
    r"after all|in this (task|session|run))\b|"
    r"\b(was|were) not affected\b|"
    r"\b(TODO|FIXME)\b[^.;]{0,120}\b(was|were|has been|have been|is now) (removed|deleted|dropped|resolved|"
    r"fixed|addressed|implemented)\b|"
    r"\b(passes|runs|works) now\b|"
    r"^\W*manual (run|test|check) (with|on|against|in|using|via) "
    r"(?![^.]*\b(required|needed|pending|still|todo|owed|later)\b)|"
    r"^\W*manual(ly)? (run|test|testing|check|verification)( performed| done| completed| carried out|"
    r" (with|on|against|of) [^:]{1,100}?)?\s*:"
    r"(?!\s*(not|pending|todo|to do|required|needed|owed|left|tbd|n/a|still)\b)"
)
"""A statement that the check happened after all ("ran the build deferred from task 3.6: passed",
"the snapshots now run and pass", "Manual run: uploaded a 2 GB file, it resumed")."""

CREDENTIAL_HINT = _re(
    r"\b(api[ _-]?keys?|(integration|access|signing|license|licence|deploy|ssh|service|webhook|test|"
    r"test-mode|live|live-mode|sandbox|secret|private|publishable|client) keys?|"
    r"service[ -]account (keys?|json|credentials?|files?)|"
    r"[A-Z][A-Z0-9_]*_(KEY|SECRET|TOKEN)|credentials?|secrets?|(access|auth|api|bearer) tokens?|"
    r"webhook url|permissions?|iam (role|polic(y|ies)|admin)|(bucket|access|iam) polic(y|ies)|"
    r"(partner|developer|admin|store|console) (login|account)s?|"
    r"access (grant|rights))\b"
)
"""A secret or an access grant named as what stood in the way."""

CREDENTIAL_ABSENT = re.compile(
    r"\b(no|without|missing|lacks?|lacking)\b(?:[^.;\n]|\.(?=\S)){0,20}" + CREDENTIAL_HINT.pattern,
    re.IGNORECASE,
)
"""A secret said to be absent ("no Stripe API key here")."""

REASON_HINTS: tuple[tuple[re.Pattern[str], DeferredReason], ...] = (
    (_re(r"\b(deploy(ing|ment|ed)?|fly\.io|vercel|heroku|production server)\b"), "deployment"),
    (CREDENTIAL_HINT, "credentials"),
    (_re(r"\b(no|without|missing|lacks?)\b[^.;]{0,40}\bcertificates?\b|\bcertificates?\b[^.;]{0,30}\b(is|are|has|have)"
         r" not (yet )?(been )?(bought|issued|created|available|set up|provided)\b"), "credentials"),
    (_re(r"\b(not installed|no [\w.-]+ install(ed|ation)|requires? (a |the )?(full )?[\w.-]+ (installation|"
         r"install|sdk|toolchain)|[\w.-]+ (is )?not available (locally|here|in this)|"
         r"no [\w./-]+ (installed|available|in this|in the|on this|here))\b"), "tool-missing"),
    (_re(r"\b(sandbox|network|offline|internet|this (environment|container|machine|runner)|"
         r"(in|inside) the (container|sandbox|vm)|"
         r"environment (restriction|limit)s?|"
         r"server (is )?not running|firewall)\b"), "environment"),
    (_re(r"\b(manual(ly)?|by hand|human|a person|someone|eyeball\w*|visual(ly)? (check|inspect)\w*|"
         r"by (the )?(qa|reviewers?|testers?|designers?|product owner)( team)?|somebody|someone with)\b|"
         r"\b(qa|product|design|stakeholder|client|customer|accessibility)( team's| team)? "
         r"(sign-?off|approval|review)\b|"
         r"\b(team|owner|lead|manager|scientists?|analysts?|designers?|reviewers?)\b[^.;]{0,20}"
         r"\b(has|have|needs?|must|should)( to)? (look at|review|confirm|check|sign off|approve|verify)\b"),
     "manual"),
)
"""A generic cue ("could not complete", "not run") gets its reason from what stood in the way."""

MACHINE_ABSENT = _re(
    r"\bno (gpus?|cuda|tpus?|macos|mac|windows|linux|ios|android|arm64?)\b|"
    r"\bno [\w-]+ (runner|simulator|emulator|device|hardware|cluster)s? (is |are )?"
    r"(available|installed|attached|here|on this|in this)\b|"
    r"\b(needs?|requires?) (a |an )?(real |physical |test )?(device|phone|gpu|tablet)\b|"
    r"\b(database|db) (role|user)\b[^.;]{0,40}\b(does not|doesn't) exist\b|"
    r"\bno (database|db) (role|user)\b|"
    r"\bonly (have|has) (a|an|one) [\w.-]+ (install|installation|machine|device|instance|environment)\b|"
    r"\b(staging|test|dev|qa) (db|database|server|cluster|environment)\b[^.;]{0,20}\b(being migrated|"
    r"is down|unavailable|not available|offline)\b"
)
"""A missing machine, runner, device or database role: the environment, not a secret or a date."""

SAME_REASON = _re(r"\b(same reason|same blocker|for the same reason)\b")
"""A list line that defers for the reason its predecessor gave."""

RESOLVED = _re(
    r"\b(later|subsequently|since|afterwards|then)\b[^\n]{0,60}\b(ran|run|verified|tested|confirmed)\b"
    r"[^\n]{0,160}\b(successfully|passed|pass|succeeded|green|ok)\b"
)
"""The line after a deferral that says it was done after all."""

CREDENTIAL_WORDS = _re(
    r"\b" + _CREDENTIAL + r"|\b(key|secret|token|password)\b|\b(permissions?|iam)\b|"
    r"\bgrant\b[^.]{0,60}\b(role|access)\b"
)
"""Setup or a blocker that is about a secret or an access grant: a credentials matter."""
VALIDATION_VERBS = _re(r"^\W*(\d+[.)]\W*)?(verify|validate|test|check|confirm|ensure|run|measure)\b")

_STOPWORDS_TEXT = """
a an the and or but if then than to of in on at by for with from into onto as is are was were be
been being will would can could should must may might need needs needed require requires required
this that these those it its it's not no yet all any some each both only also just full fully actual
actually currently still once when until after before during via per so such there here which who
what how test tests tested testing validate validated validation verify verified verification check
checks run runs ran running note notes later future task tasks phase plan plans step steps next
ready implement implemented implementation valid real live runtime manual manually end e2e using use
used do does did done make made setup set up available time first new work works working script
scripts deploy deployment deployed expected report reports ensure case our your you we i
placeholder placeholders stub stubs stubbed skeleton skeletons deferred defer postponed pending partially
partial requirement requirements blocker blockers issue issues because due local locally environment
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
"""Words that say nothing about the subject: two statements sharing only these are not merged."""
