"""Who may do what, written by hand from docs/domain.md ("Who uses it", the need-to-know
rule for case reviews, "Confidential business") — never read from the code's `access`
declarations, so a wrong declaration fails here.

`TABLE` has one line per route and method of `app.url_map`:

    METHOD /path    anonymous office chair partner sub-group-chair viewer admin

each column holding the role's letter when the role may use the route and `-` when it is
refused: `*` anonymous (a public route), `O` business office, `C` independent chair,
`P` partner member, `S` sub-group chair, `V` viewer, `A` administrator, `L` a children's
safeguarding partner (lead or delegated), `X` the independent scrutineer.

The role gate is walked with ids that do not exist (999999): an allowed role reaches the
view (which answers 404, 400, 422 or the page); a refused role is stopped at the gate with
403 — for every record, so the answer says nothing about whether one exists; an anonymous
request to a non-public route gets 401 on the API and a redirect to /sign-in on a page.
Within a role that may use a route, which records a user sees (their organisation's,
the reviews they need to know about, ratified minutes only) is the services' rule, and a
record the user may not know of is a 404: the record-level tests below use the demo's
records for those.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from safeguarding.extensions import db
from safeguarding.models import Escalation, Minutes, MinutesState, Role, User, UserRole

COLUMNS = ("*", "O", "C", "P", "S", "V", "A", "L", "X")
ROLES = (
    None,
    Role.business_office,
    Role.independent_chair,
    Role.partner_member,
    Role.subgroup_chair,
    Role.viewer,
    Role.admin,
    Role.safeguarding_partner,
    Role.scrutineer,
)

TABLE = """
#                                                                     anonymous
#                                                                     | business office
#                                                                     | | independent chair
#                                                                     | | | partner member
#                                                                     | | | | sub-group chair
#                                                                     | | | | | viewer
#                                                                     | | | | | | administrator
#                                                                     | | | | | | | safeguarding partner (LSP or DSP)
#                                                                     | | | | | | | | independent scrutineer

# --- Public: the front page, sign-in, the service's own files, the API's description and
# sign-in; a member's calendar feed, whose secret URL is the credential; the health checks
# (for a load balancer or systemd: no personal data, counts and times only).
GET    /                                                              * O C P S V A L X
GET    /accessibility                                                 * O C P S V A L X
GET    /privacy                                                       * O C P S V A L X
GET    /healthz                                                       * O C P S V A L X
GET    /readyz                                                        * O C P S V A L X
GET    /sign-in                                                       * O C P S V A L X
POST   /sign-in                                                       * O C P S V A L X
GET    /static/<path:filename>                                        * O C P S V A L X
GET    /assets/<path:filename>                                        * O C P S V A L X
GET    /vendor/govuk-frontend.min.js                                  * O C P S V A L X
GET    /api/v1/openapi.json                                           * O C P S V A L X
POST   /api/v1/auth/token                                             * O C P S V A L X
GET    /calendar/<token>.ics                                          * O C P S V A L X

# --- Every account: its home page, its own password, signing out, who am I, the
# working-day calculator (no records in it).
GET    /home                                                          - O C P S V A L X
GET    /account/password                                              - O C P S V A L X
POST   /account/password                                              - O C P S V A L X
POST   /sign-out                                                      - O C P S V A L X
GET    /api/v1/me                                                     - O C P S V A L X
GET    /api/v1/me/queue                                               - O C P S V A L X
DELETE /api/v1/auth/token                                             - O C P S V A L X
GET    /api/v1/calendar/working-days                                  - O C P S V A L X
# One page for every lifecycle's triggers: the roles that hold any trigger (viewers and
# administrators hold none); each lifecycle's loader hides records (404) and each trigger
# names its own roles (403), tested with each feature.
GET    /workflow/<lifecycle_name>/<int:entity_id>/<trigger>           - O C P S - - - -
POST   /workflow/<lifecycle_name>/<int:entity_id>/<trigger>           - O C P S - - - -

# --- Administration. "administrator: user accounts and roles; no case content, letters or
# money" — and nothing else: the office runs everything else.
GET    /admin/users                                                   - - - - - - A - -
GET    /admin/users/new                                               - - - - - - A - -
POST   /admin/users/new                                               - - - - - - A - -
GET    /admin/users/<int:user_id>                                     - - - - - - A - -
POST   /admin/users/<int:user_id>                                     - - - - - - A - -
GET    /admin/users/<int:user_id>/deactivate                          - - - - - - A - -
POST   /admin/users/<int:user_id>/deactivate                          - - - - - - A - -
POST   /admin/users/<int:user_id>/reactivate                          - - - - - - A - -
# The audit log names reviews, letters and people viewed: the business office's (who
# answer the records manager and the DPO). The scheduled jobs, the email outbox (which
# holds letters and case emails) and the closure days are the office's to run.
GET    /audit                                                         - O - - - - - - -
# Imports of the office's spreadsheets (issue 21): the business office runs everything,
# and a spreadsheet may hold any of the partnership's records.
GET    /imports                                                       - O - - - - - - -
POST   /imports                                                       - O - - - - - - -
GET    /imports/templates/<kind>.xlsx                                 - O - - - - - - -
GET    /imports/<int:run_id>                                          - O - - - - - - -
POST   /imports/<int:run_id>/commit                                   - O - - - - - - -
GET    /imports/<int:run_id>/mapping                                  - O - - - - - - -
POST   /imports/<int:run_id>/mapping                                  - O - - - - - - -
POST   /api/v1/imports                                                - O - - - - - - -
GET    /api/v1/imports/<int:run_id>                                   - O - - - - - - -
POST   /api/v1/imports/<int:run_id>/commit                            - O - - - - - - -
GET    /jobs                                                          - O - - - - - - -
GET    /outbox                                                        - O - - - - - - -
GET    /outbox/<int:message_id>                                       - O - - - - - - -
GET    /outbox/<int:message_id>/attachments/<int:attachment_id>       - O - - - - - - -
GET    /outbox/<int:message_id>/send-again                            - O - - - - - - -
POST   /outbox/<int:message_id>/send-again                            - O - - - - - - -
GET    /outbox/send-again                                             - O - - - - - - -
POST   /outbox/send-again                                             - O - - - - - - -
GET    /outbox/discard-held                                           - O - - - - - - -
POST   /outbox/discard-held                                           - O - - - - - - -
POST   /api/v1/outbox/retry                                           - O - - - - - - -
GET    /calendar/closure-days                                         - O - - - - - - -
POST   /calendar/closure-days                                         - O - - - - - - -
GET    /calendar/closure-days/<int:closure_id>/remove                 - O - - - - - - -
POST   /calendar/closure-days/<int:closure_id>/remove                 - O - - - - - - -

# --- Information governance (domain.md "Information governance"). Subject access requests
# name the person asking and what to look for: the business office's alone (it answers
# them, with the DPO). Holds name case reviews: the office's. The retention schedule is
# read by the independent chair too (the annual report states the schedule in force and
# the chair approves the report); only the office changes it.
GET    /subject-access-requests                                       - O - - - - - - -
GET    /subject-access-requests/new                                   - O - - - - - - -
POST   /subject-access-requests/new                                   - O - - - - - - -
GET    /subject-access-requests/<int:request_id>                      - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/edit                 - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/edit                 - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/extend               - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/extend               - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/answer               - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/answer               - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/withdraw             - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/withdraw             - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/find                 - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/items                - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/items/disclose-undecided - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/items/<int:item_id>  - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/items/<int:item_id>  - O - - - - - - -
GET    /subject-access-requests/<int:request_id>/bundle               - O - - - - - - -
POST   /subject-access-requests/<int:request_id>/bundle               - O - - - - - - -
GET    /retention                                                     - O C - - - - - -
GET    /retention/<key>/edit                                          - O - - - - - - -
POST   /retention/<key>/edit                                          - O - - - - - - -
GET    /holds                                                         - O - - - - - - -
GET    /holds/new                                                     - O - - - - - - -
POST   /holds/new                                                     - O - - - - - - -
GET    /holds/<int:hold_id>/lift                                      - O - - - - - - -
POST   /holds/<int:hold_id>/lift                                      - O - - - - - - -
GET    /api/v1/subject-access-requests                                - O - - - - - - -
POST   /api/v1/subject-access-requests                                - O - - - - - - -
GET    /api/v1/subject-access-requests/<int:request_id>               - O - - - - - - -
PATCH  /api/v1/subject-access-requests/<int:request_id>               - O - - - - - - -
POST   /api/v1/subject-access-requests/<int:request_id>/extension     - O - - - - - - -
POST   /api/v1/subject-access-requests/<int:request_id>/answer        - O - - - - - - -
POST   /api/v1/subject-access-requests/<int:request_id>/find          - O - - - - - - -
GET    /api/v1/subject-access-requests/<int:request_id>/items         - O - - - - - - -
PUT    /api/v1/subject-access-requests/<int:request_id>/items/<int:item_id> - O - - - - - - -
POST   /api/v1/subject-access-requests/<int:request_id>/bundle        - O - - - - - - -
GET    /api/v1/subject-access-requests/<int:request_id>/bundle        - O - - - - - - -
GET    /api/v1/retention/classes                                      - O C - - - - - -
PUT    /api/v1/retention/classes/<key>                                - O - - - - - - -
GET    /api/v1/holds                                                  - O - - - - - - -
POST   /api/v1/holds                                                  - O - - - - - - -
POST   /api/v1/holds/<int:hold_id>/lift                               - O - - - - - - -
# Disposal review: the office's alone, four eyes within it (the proposer cannot approve;
# the service refuses them). The chair reads the schedule (above), not the disposals.
GET    /disposals                                                     - O - - - - - - -
GET    /disposals/new                                                 - O - - - - - - -
POST   /disposals/new                                                 - O - - - - - - -
GET    /disposals/<int:batch_id>                                      - O - - - - - - -
GET    /disposals/<int:batch_id>/approve                              - O - - - - - - -
POST   /disposals/<int:batch_id>/approve                              - O - - - - - - -
GET    /disposals/<int:batch_id>/reject                               - O - - - - - - -
POST   /disposals/<int:batch_id>/reject                               - O - - - - - - -
GET    /disposals/<int:batch_id>/cancel                               - O - - - - - - -
POST   /disposals/<int:batch_id>/cancel                               - O - - - - - - -
GET    /api/v1/disposals                                              - O - - - - - - -
GET    /api/v1/disposals/due                                          - O - - - - - - -
GET    /api/v1/disposal-batches                                       - O - - - - - - -
POST   /api/v1/disposal-batches                                       - O - - - - - - -
GET    /api/v1/disposal-batches/<int:batch_id>                        - O - - - - - - -
POST   /api/v1/disposal-batches/<int:batch_id>/approve                - O - - - - - - -
POST   /api/v1/disposal-batches/<int:batch_id>/reject                 - O - - - - - - -
POST   /api/v1/disposal-batches/<int:batch_id>/cancel                 - O - - - - - - -
# --- The children's safeguarding arrangements (domain.md "Children's safeguarding
# arrangements"). Decided here, not in domain.md's "Who uses it": the arrangements are
# published by law (Working Together 2023), so every role of the partnership reads them —
# viewers too ("read what the partnership has made public record"), the safeguarding
# partners and the scrutineer whose offices they name. The names shown are office-holders'
# (LSPs, DSPs, the scrutineer), public in the published document. Not the administrator
# (accounts and roles, nothing else). Only the business office records and changes them
# (the partners agree the published arrangements by a joint decision; the office keeps
# the record).
GET    /arrangements                                                  - O C P S V - L X
GET    /arrangements/edit                                             - O - - - - - - -
POST   /arrangements/edit                                             - O - - - - - - -
GET    /arrangements/partners/new                                     - O - - - - - - -
POST   /arrangements/partners/new                                     - O - - - - - - -
GET    /arrangements/partners/<int:partner_id>/edit                   - O - - - - - - -
POST   /arrangements/partners/<int:partner_id>/edit                   - O - - - - - - -
GET    /api/v1/arrangements                                           - O C P S V - L X
PUT    /api/v1/arrangements                                           - O - - - - - - -
POST   /api/v1/arrangements/partners                                  - O - - - - - - -
PATCH  /api/v1/arrangements/partners/<int:partner_id>                 - O - - - - - - -

# --- The partnership's directory: organisations, people, groups and memberships. The
# office runs them; the chair and members read them; the administrator reads them to link
# accounts to people and organisations. Not public record (people's contact details): no
# viewers.
GET    /organisations                                                 - O C P S - A - -
GET    /organisations/<int:org_id>                                    - O C P S - A - -
GET    /organisations/new                                             - O - - - - - - -
POST   /organisations/new                                             - O - - - - - - -
GET    /organisations/<int:org_id>/edit                               - O - - - - - - -
POST   /organisations/<int:org_id>/edit                               - O - - - - - - -
GET    /people                                                        - O C P S - A - -
GET    /people/<int:person_id>                                        - O C P S - A - -
GET    /people/new                                                    - O - - - - - - -
POST   /people/new                                                    - O - - - - - - -
GET    /people/<int:person_id>/edit                                   - O - - - - - - -
POST   /people/<int:person_id>/edit                                   - O - - - - - - -
GET    /people/<int:person_id>/deactivate                             - O - - - - - - -
POST   /people/<int:person_id>/deactivate                             - O - - - - - - -
POST   /people/<int:person_id>/reactivate                             - O - - - - - - -
GET    /people/<int:person_id>/mou                                    - O - - - - - - -
POST   /people/<int:person_id>/mou                                    - O - - - - - - -
# The memorandum's versions: the office records them; members and the chair may read which
# is in force through the API (the directory's readers).
GET    /memorandum                                                    - O - - - - - - -
GET    /memorandum/new                                                - O - - - - - - -
POST   /memorandum/new                                                - O - - - - - - -
GET    /api/v1/mou-versions                                           - O C P S - A - -
POST   /api/v1/mou-versions                                           - O - - - - - - -
POST   /api/v1/mou-signatures                                         - O - - - - - - -
GET    /groups                                                        - O C P S - A - -
GET    /groups/<int:group_id>                                         - O C P S - A - -
GET    /groups/new                                                    - O - - - - - - -
POST   /groups/new                                                    - O - - - - - - -
GET    /groups/<int:group_id>/edit                                    - O - - - - - - -
POST   /groups/<int:group_id>/edit                                    - O - - - - - - -
GET    /groups/<int:group_id>/deactivate                              - O - - - - - - -
POST   /groups/<int:group_id>/deactivate                              - O - - - - - - -
GET    /groups/<int:group_id>/memberships/new                         - O - - - - - - -
POST   /groups/<int:group_id>/memberships/new                         - O - - - - - - -
GET    /memberships/<int:membership_id>/edit                          - O - - - - - - -
POST   /memberships/<int:membership_id>/edit                          - O - - - - - - -
GET    /memberships/<int:membership_id>/end                           - O - - - - - - -
POST   /memberships/<int:membership_id>/end                           - O - - - - - - -
GET    /api/v1/organisations                                          - O C P S - A - -
POST   /api/v1/organisations                                          - O - - - - - - -
GET    /api/v1/organisations/<int:org_id>                             - O C P S - A - -
PATCH  /api/v1/organisations/<int:org_id>                             - O - - - - - - -
GET    /api/v1/organisations/<int:entity_id>/history                  - O C P S - A - -
# Admitting an organisation is the office's or the chair's; notice and leaving the office's.
POST   /api/v1/organisations/<int:entity_id>/transitions              - O C - - - - - -
GET    /api/v1/people                                                 - O C P S - A - -
POST   /api/v1/people                                                 - O - - - - - - -
GET    /api/v1/people/<int:person_id>                                 - O C P S - A - -
PATCH  /api/v1/people/<int:person_id>                                 - O - - - - - - -
GET    /api/v1/groups                                                 - O C P S - A - -
POST   /api/v1/groups                                                 - O - - - - - - -
GET    /api/v1/groups/<int:group_id>                                  - O C P S - A - -
PATCH  /api/v1/groups/<int:group_id>                                  - O - - - - - - -
GET    /api/v1/groups/<int:group_id>/memberships                      - O C P S - A - -
POST   /api/v1/groups/<int:group_id>/memberships                      - O - - - - - - -
GET    /api/v1/memberships/<int:membership_id>                        - O C P S - A - -
PATCH  /api/v1/memberships/<int:membership_id>                        - O - - - - - - -

# --- The strategic plan (Care Act 2014 Schedule 2 para 3): kept by the office; drafts
# read by the office and the chair (services: 404 for others); the published plan is read
# by members and viewers ("the published strategic and business plans"). The Board agrees
# it by a decision at a meeting, so the chair has no separate approval here.
GET    /strategic-plans                                               - O C P S V - - -
GET    /strategic-plans/new                                           - O - - - - - - -
POST   /strategic-plans/new                                           - O - - - - - - -
GET    /strategic-plans/<int:plan_id>                                 - O C P S V - - -
GET    /strategic-plans/<int:plan_id>/edit                            - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/edit                            - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/objectives                      - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/objectives                      - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/commitments                     - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/commitments                     - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/consultations                   - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/consultations                   - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/agree                           - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/agree                           - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/publish                         - O - - - - - - -
POST   /strategic-plans/<int:plan_id>/publish                         - O - - - - - - -
GET    /strategic-plans/<int:plan_id>/plan.pdf                        - O C P S V - - -
GET    /api/v1/strategic-plans                                        - O C P S V - - -
POST   /api/v1/strategic-plans                                        - O - - - - - - -
GET    /api/v1/strategic-plans/<int:plan_id>                          - O C P S V - - -
PATCH  /api/v1/strategic-plans/<int:plan_id>                          - O - - - - - - -
GET    /api/v1/strategic-plans/<int:plan_id>/consultations            - O C P S V - - -
POST   /api/v1/strategic-plans/<int:plan_id>/consultations            - O - - - - - - -
GET    /api/v1/strategic-plans/<int:plan_id>/pdf                      - O C P S V - - -

# --- Meetings ("Meetings"): the office schedules them, builds agendas, confirms the
# register and writes the minutes; members see their groups' meetings and papers, log
# their own apologies and deputies, declare interests (in writing to the Chair) and
# validate interim decisions; the chair records decisions and approves minutes. Viewers
# never see meetings or papers, only ratified minutes (below).
# The annual register of interests: each Board member (partner members, sub-group chairs,
# the chair) makes their own return; the office records returns received on paper; the
# office and the Independent Chair (to whom declarations are made) read the register.
GET    /interests                                                     - O C - - - - - -
GET    /interests/return                                              - O C P S - - - -
POST   /interests/return                                              - O C P S - - - -
GET    /api/v1/interest-returns                                       - O C - - - - - -
POST   /api/v1/interest-returns                                       - O C P S - - - -
GET    /meetings                                                      - O C P S - - - -
GET    /meetings/new                                                  - O - - - - - - -
POST   /meetings/new                                                  - O - - - - - - -
GET    /meetings/series                                               - O - - - - - - -
POST   /meetings/series                                               - O - - - - - - -
GET    /meetings/<int:meeting_id>                                     - O C P S - - - -
GET    /meetings/<int:meeting_id>.ics                                 - O C P S - - - -
GET    /meetings/<int:meeting_id>/edit                                - O - - - - - - -
POST   /meetings/<int:meeting_id>/edit                                - O - - - - - - -
GET    /meetings/<int:meeting_id>/agenda/new                          - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/new                          - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/move           - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/restricted     - O - - - - - - -
GET    /meetings/<int:meeting_id>/agenda/<int:item_id>/withdraw       - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/withdraw       - O - - - - - - -
GET    /meetings/<int:meeting_id>/agenda/<int:item_id>/papers/new     - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/papers/new     - O - - - - - - -
GET    /meetings/<int:meeting_id>/papers/<int:paper_id>               - O C P S - - - -
# The agenda pack (issue 17): for those who see the meeting's papers; the public version
# leaves restricted items out, the full version is for those who see them (the same people
# here: members see their groups' confidential business). Cover sheets: the office enters them.
GET    /meetings/<int:meeting_id>/pack                                - O C P S - - - -
GET    /meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet   - O - - - - - - -
POST   /meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet   - O - - - - - - -
# The risk register (issue 17): the office keeps it; the chair and the Board's members read
# it and its exports (viewers: not a published record).
GET    /risks                                                         - O C P S - - - -
GET    /risks/register.csv                                            - O C P S - - - -
GET    /risks/register.xlsx                                           - O C P S - - - -
GET    /risks/new                                                     - O - - - - - - -
POST   /risks/new                                                     - O - - - - - - -
GET    /risks/<int:risk_id>                                           - O C P S - - - -
GET    /risks/<int:risk_id>/edit                                      - O - - - - - - -
POST   /risks/<int:risk_id>/edit                                      - O - - - - - - -
GET    /risks/<int:risk_id>/actions/new                               - O - - - - - - -
POST   /risks/<int:risk_id>/actions/new                               - O - - - - - - -
GET    /risks/<int:risk_id>/close                                     - O - - - - - - -
POST   /risks/<int:risk_id>/close                                     - O - - - - - - -
# The forward plan (issue 17): the office keeps the Board's cycle of business; the chair
# and members read it.
GET    /forward-plan                                                  - O C P S - - - -
POST   /forward-plan/build                                            - O - - - - - - -
GET    /forward-plan/new                                              - O - - - - - - -
POST   /forward-plan/new                                              - O - - - - - - -
GET    /forward-plan/<int:item_id>/edit                               - O - - - - - - -
POST   /forward-plan/<int:item_id>/edit                               - O - - - - - - -
POST   /forward-plan/<int:item_id>/remove                             - O - - - - - - -
# The register: members read it; "the business office confirms the register on the day".
GET    /meetings/<int:meeting_id>/attendance                          - O C P S - - - -
POST   /meetings/<int:meeting_id>/attendance                          - O - - - - - - -
POST   /meetings/<int:meeting_id>/nominated-chair                     - O - - - - - - -
# Apologies: "partners record their own apologies and deputies beforehand" (the office
# for anyone). Silent on the Independent Chair: not a partner; the office records theirs.
GET    /meetings/<int:meeting_id>/apologies                           - O - P S - - - -
POST   /meetings/<int:meeting_id>/apologies                           - O - P S - - - -
GET    /meetings/<int:meeting_id>/declarations/new                    - O C P S - - - -
POST   /meetings/<int:meeting_id>/declarations/new                    - O C P S - - - -
GET    /declarations                                                  - O C P S - - - -
GET    /meetings/<int:meeting_id>/agenda/<int:item_id>/decision       - O C - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/decision       - O C - - - - - -
GET    /meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new    - O - - - - - - -
POST   /meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new    - O - - - - - - -
# Interim decisions are "validated electronically by all members".
POST   /decisions/<int:decision_id>/validate                          - - - P S - - - -
GET    /decisions/awaiting-validation                                 - - - P S - - - -
POST   /meetings/<int:meeting_id>/minutes                             - O - - - - - - -
# Minutes: the office drafts, the group's chair approves, the members ratify; viewers read
# ratified minutes of groups whose minutes are not restricted (the services hide drafts
# and the SAR and CSPR sub-groups' minutes: tested below).
GET    /minutes                                                       - O C P S V - - -
GET    /minutes/<int:minutes_id>                                      - O C P S V - - -
GET    /minutes/<int:minutes_id>/edit                                 - O - - - - - - -
POST   /minutes/<int:minutes_id>/edit                                 - O - - - - - - -
GET    /minutes/<int:minutes_id>/ratify                               - O C - - - - - -
POST   /minutes/<int:minutes_id>/ratify                               - O C - - - - - -
GET    /minutes/<int:minutes_id>/amendments/new                       - O - - - - - - -
POST   /minutes/<int:minutes_id>/amendments/new                       - O - - - - - - -
# Chair's action: "the Chair, in consultation with the three statutory agencies" (or the
# vice chair, a partner member, acting for them); reported to the next meeting's members.
GET    /chair-actions                                                 - O C P S - - - -
GET    /chair-actions/new                                             - - C P S - - - -
POST   /chair-actions/new                                             - - C P S - - - -
GET    /chair-actions/<int:action_id>                                 - O C P S - - - -
# A member's own calendar link (their meetings).
GET    /calendar                                                      - O C P S - - - -
POST   /calendar                                                      - O C P S - - - -
GET    /api/v1/meetings                                               - O C P S - - - -
POST   /api/v1/meetings                                               - O - - - - - - -
POST   /api/v1/meetings/series                                        - O - - - - - - -
GET    /api/v1/meetings/<int:meeting_id>                              - O C P S - - - -
PATCH  /api/v1/meetings/<int:meeting_id>                              - O - - - - - - -
GET    /api/v1/meetings/<int:meeting_id>/pack                         - O C P S - - - -
GET    /api/v1/meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet - O C P S - - - -
PUT    /api/v1/meetings/<int:meeting_id>/papers/<int:paper_id>/cover-sheet - O - - - - - - -
GET    /api/v1/risks                                                  - O C P S - - - -
POST   /api/v1/risks                                                  - O - - - - - - -
GET    /api/v1/risks/<int:risk_id>                                    - O C P S - - - -
PATCH  /api/v1/risks/<int:risk_id>                                    - O - - - - - - -
POST   /api/v1/risks/<int:risk_id>/close                              - O - - - - - - -
GET    /api/v1/risks/<int:risk_id>/history                            - O C P S - - - -
GET    /api/v1/risks/<int:risk_id>/actions                            - O C P S - - - -
POST   /api/v1/risks/<int:risk_id>/actions                            - O - - - - - - -
GET    /api/v1/forward-plan                                           - O C P S - - - -
POST   /api/v1/forward-plan                                           - O - - - - - - -
POST   /api/v1/forward-plan/items                                     - O - - - - - - -
PATCH  /api/v1/forward-plan/items/<int:item_id>                       - O - - - - - - -
POST   /api/v1/forward-plan/items/<int:item_id>/remove                - O - - - - - - -
GET    /api/v1/meetings/<int:meeting_id>/agenda                       - O C P S - - - -
POST   /api/v1/meetings/<int:meeting_id>/agenda                       - O - - - - - - -
PUT    /api/v1/meetings/<int:meeting_id>/agenda/<int:item_id>/restricted - O - - - - - - -
POST   /api/v1/meetings/<int:meeting_id>/apologies                    - O - P S - - - -
GET    /api/v1/meetings/<int:meeting_id>/attendance                   - O C P S - - - -
PUT    /api/v1/meetings/<int:meeting_id>/attendance                   - O - - - - - - -
GET    /api/v1/meetings/<int:meeting_id>/decisions                    - O C P S - - - -
POST   /api/v1/meetings/<int:meeting_id>/decisions                    - O C - - - - - -
POST   /api/v1/meetings/<int:meeting_id>/minutes                      - O - - - - - - -
GET    /api/v1/meetings/<int:entity_id>/history                       - O C P S - - - -
# Publishing papers and cancelling are the office's; opening, closing and recording an
# inquorate meeting the office's or the chair's.
POST   /api/v1/meetings/<int:entity_id>/transitions                   - O C - - - - - -
POST   /api/v1/decisions/<int:decision_id>/validations                - - - P S - - - -
GET    /api/v1/declarations                                           - O C P S - - - -
POST   /api/v1/declarations                                           - O C P S - - - -
GET    /api/v1/minutes                                                - O C P S V - - -
GET    /api/v1/minutes/<int:minutes_id>                               - O C P S V - - -
PATCH  /api/v1/minutes/<int:minutes_id>                               - O - - - - - - -
GET    /api/v1/minutes/<int:minutes_id>/amendments                    - O C P S V - - -
POST   /api/v1/minutes/<int:minutes_id>/amendments                    - O - - - - - - -
# The workflow trail of minutes (submitted, returned for changes with the chair's
# comments on the draft, approved) is the making of the record, not the record: viewers
# read the ratified minutes and their amendments, never drafts (domain.md, viewer row).
GET    /api/v1/minutes/<int:entity_id>/history                        - O C P S - - - -
# Minutes are approved by the group's chair (domain.md "Minutes"): a sub-group's own chair
# for a sub-group, so the sub-group chair role reaches the transitions (the service
# refuses them the Board's and other groups' minutes: tests/services/test_minutes.py).
POST   /api/v1/minutes/<int:entity_id>/transitions                    - O C - S - - - -
GET    /api/v1/chair-actions                                          - O C P S - - - -
POST   /api/v1/chair-actions                                          - - C P S - - - -
GET    /api/v1/chair-actions/<int:action_id>                          - O C P S - - - -
GET    /api/v1/chair-actions/<int:entity_id>/history                  - O C P S - - - -
# A chair's action is ratified (or not) by the ratification of the next meeting's minutes,
# never by hand: no one fires its triggers.
POST   /api/v1/chair-actions/<int:entity_id>/transitions              - - - - - - - - -

# --- Attendance monitoring and escalation letters. "The Chair will write to the Chief
# Executive": the office detects and drafts, the chair approves and signs; a partner member
# sees the letters sent to their own organisation (the services: once sent). Viewers never
# see letters, escalations, thresholds or settings; they read the attendance report, which
# the annual report publishes.
GET    /attendance/escalations                                        - O C P - - - - -
GET    /attendance/escalations/<int:escalation_id>                    - O C P - - - - -
GET    /attendance/escalations/<int:escalation_id>/letter             - O C P - - - - -
GET    /attendance/escalations/<int:escalation_id>/letter.pdf         - O C P - - - - -
GET    /attendance/escalations/<int:escalation_id>/letter.docx        - O C P - - - - -
GET    /attendance/escalations/<int:escalation_id>/letter/<trigger>   - O C - - - - - -
POST   /attendance/escalations/<int:escalation_id>/letter/<trigger>   - O C - - - - - -
# The thresholds are settings: the office sets them, the chair (who signs the letters they
# trigger) reads them.
GET    /attendance/policies                                           - O C - - - - - -
GET    /attendance/policies/<int:group_id>                            - O - - - - - - -
POST   /attendance/policies/<int:group_id>                            - O - - - - - - -
# The attendance report: the annual report publishes it (viewers); a partner member sees
# their own organisation's row. Silent on a sub-group chair alone: they are partner members
# (domain.md), and as partner members they see it.
GET    /attendance/report                                             - O C P - V - - -
GET    /api/v1/reports/attendance                                     - O C P - V - - -
GET    /api/v1/escalations                                            - O C P - - - - -
GET    /api/v1/escalations/<int:escalation_id>                        - O C P - - - - -
GET    /api/v1/escalations/<int:escalation_id>/letter.pdf             - O C P - - - - -
GET    /api/v1/escalations/<int:escalation_id>/letter.docx            - O C P - - - - -
GET    /api/v1/escalations/<int:entity_id>/history                    - O C P - - - - -
POST   /api/v1/escalations/<int:entity_id>/transitions                - O C - - - - - -
GET    /api/v1/attendance-policies                                    - O C - - - - - -
GET    /api/v1/attendance-policies/<int:group_id>                     - O C - - - - - -
PATCH  /api/v1/attendance-policies/<int:group_id>                     - O - - - - - - -

# --- Actions ("Actions"): partners update their own organisation's actions with progress
# and evidence; the office adds, edits and accepts completion; the chair oversees (and may
# close one as not implemented). Members see their organisation's actions and their
# groups' (the services; review actions are need-to-know).
GET    /actions                                                       - O C P S - - - -
GET    /actions/new                                                   - O - - - - - - -
POST   /actions/new                                                   - O - - - - - - -
GET    /actions/<int:action_id>                                       - O C P S - - - -
POST   /actions/<int:action_id>                                       - O - P - - - - -
GET    /actions/<int:action_id>/edit                                  - O - - - - - - -
POST   /actions/<int:action_id>/edit                                  - O - - - - - - -
GET    /actions/<int:action_id>/updates/<int:update_id>/evidence      - O C P S - - - -
GET    /api/v1/actions                                                - O C P S - - - -
POST   /api/v1/actions                                                - O - - - - - - -
GET    /api/v1/actions/<int:action_id>                                - O C P S - - - -
PATCH  /api/v1/actions/<int:action_id>                                - O - - - - - - -
GET    /api/v1/actions/<int:action_id>/updates                        - O C P S - - - -
POST   /api/v1/actions/<int:action_id>/updates                        - O - P - - - - -
GET    /api/v1/actions/<int:entity_id>/history                        - O C P S - - - -
POST   /api/v1/actions/<int:entity_id>/transitions                    - O C P - - - - -

# --- Disputes between partners ("Disputes"): raised by the office or a party's partner
# member; the Independent Chair convenes and chairs; each party agrees the agenda. A
# partner member sees their own organisation's disputes (the services). Never viewers.
GET    /disputes                                                      - O C P - - - - -
GET    /disputes/new                                                  - O - P - - - - -
POST   /disputes/new                                                  - O - P - - - - -
GET    /disputes/<int:dispute_id>                                     - O C P - - - - -
GET    /disputes/<int:dispute_id>/edit                                - O - - - - - - -
POST   /disputes/<int:dispute_id>/edit                                - O - - - - - - -
GET    /disputes/<int:dispute_id>/agenda                              - O - - - - - - -
POST   /disputes/<int:dispute_id>/agenda                              - O - - - - - - -
GET    /disputes/<int:dispute_id>/agenda/response                     - - - P - - - - -
POST   /disputes/<int:dispute_id>/agenda/response                     - - - P - - - - -
GET    /disputes/<int:dispute_id>/meeting                             - O C - - - - - -
POST   /disputes/<int:dispute_id>/meeting                             - O C - - - - - -
GET    /disputes/<int:dispute_id>/escalation-letters/<int:organisation_id>  - O C - - - - - -
GET    /disputes/<int:dispute_id>/actions/new                         - O C - - - - - -
POST   /disputes/<int:dispute_id>/actions/new                         - O C - - - - - -
GET    /api/v1/disputes                                               - O C P - - - - -
POST   /api/v1/disputes                                               - O - P - - - - -
GET    /api/v1/disputes/<int:dispute_id>                              - O C P - - - - -
PATCH  /api/v1/disputes/<int:dispute_id>                              - O - - - - - - -
GET    /api/v1/disputes/<int:dispute_id>/agenda-agreements            - O C P - - - - -
POST   /api/v1/disputes/<int:dispute_id>/agenda-agreements            - - - P - - - - -
GET    /api/v1/disputes/<int:entity_id>/history                       - O C P - - - - -
POST   /api/v1/disputes/<int:entity_id>/transitions                   - O C P - - - - -
# Complaints: referred by the office, or investigated by the Chair. Complainants are
# members of the public: the office and the Chair only.
GET    /complaints                                                    - O C - - - - - -
GET    /complaints/new                                                - O C - - - - - -
POST   /complaints/new                                                - O C - - - - - -
GET    /complaints/<int:complaint_id>                                 - O C - - - - - -
GET    /api/v1/complaints                                             - O C - - - - - -
POST   /api/v1/complaints                                             - O C - - - - - -
GET    /api/v1/complaints/<int:complaint_id>                          - O C - - - - - -
GET    /api/v1/complaints/<int:entity_id>/history                     - O C - - - - - -
POST   /api/v1/complaints/<int:entity_id>/transitions                 - O C - - - - - -

# --- Case reviews: need-to-know — "business office, independent chair, members of the
# review's sub-group, and the agencies involved in that review". Viewers and
# administrators never see case content: refused by role. Within the four roles the
# services answer 404 for a review the user may not know exists (tested below and in
# tests/reviews/test_need_to_know.py). The office runs the review; the sub-group (partner
# members and sub-group chairs sitting on it) screens, gathers information, recommends
# and quality-checks; the chair decides; a named agency answers its requests.
GET    /reviews                                                       - O C P S - - - -
GET    /reviews/all                                                   - O C P S - - - -
GET    /reviews/requests                                              - O C P S - - - -
# s45 to anyone for any Board function: the office sends a request for an audit or data;
# those who read requests (need to know: the services' rule) read it and its letter; the
# office records a reply from outside the directory, an agency answers its own.
GET    /information-requests/new                                      - O - - - - - - -
POST   /information-requests/new                                      - O - - - - - - -
GET    /information-requests/<int:request_id>                         - O C P S - - - -
POST   /information-requests/<int:request_id>                         - O - P - - - - -
GET    /information-requests/<int:request_id>/chronology              - O C P S - - - -
GET    /information-requests/<int:request_id>/letter.<fmt>            - O C P S - - - -
GET    /reviews/timeliness                                            - O C - - - - - -
GET    /reviews/notify                                                - O - - - - - - -
POST   /reviews/notify                                                - O - - - - - - -
# Domain.md is silent on who refers: anyone who knows of an adult at risk must be able to
# refer (the referral source is recorded); the referrer sees the reference, never the
# review. So every account may refer — and only refer.
GET    /reviews/refer                                                 - O C P S V A L X
POST   /reviews/refer                                                 - O C P S V A L X
GET    /reviews/referral-sent                                         - O C P S V A L X
GET    /reviews/<int:review_id>                                       - O C P S - - - -
GET    /reviews/<int:review_id>/edit                                  - O - - - - - - -
POST   /reviews/<int:review_id>/edit                                  - O - - - - - - -
GET    /reviews/<int:review_id>/screening                             - O - P S - - - -
POST   /reviews/<int:review_id>/screening                             - O - P S - - - -
GET    /reviews/<int:review_id>/rapid-review                          - O - P S - - - -
POST   /reviews/<int:review_id>/rapid-review                          - O - P S - - - -
GET    /reviews/<int:review_id>/decide                                - - C - - - - - -
POST   /reviews/<int:review_id>/decide                                - - C - - - - - -
GET    /reviews/<int:review_id>/commissioning                         - O - - - - - - -
POST   /reviews/<int:review_id>/commissioning                         - O - - - - - - -
GET    /reviews/<int:review_id>/report-sent-to-panel                  - O - - - - - - -
POST   /reviews/<int:review_id>/report-sent-to-panel                  - O - - - - - - -
POST   /reviews/<int:review_id>/commitment                            - O - - - - - - -
POST   /reviews/<int:review_id>/board-agenda                          - O - - - - - - -
GET    /reviews/<int:review_id>/events/new                            - O - P S - - - -
POST   /reviews/<int:review_id>/events/new                            - O - P S - - - -
GET    /reviews/<int:review_id>/reports/<which>                       - O - - - - - - -
POST   /reviews/<int:review_id>/reports/<which>                       - O - - - - - - -
GET    /reviews/<int:review_id>/reports/<which>/download              - O C P S - - - -
GET    /reviews/<int:review_id>/quality-check                         - O - P S - - - -
POST   /reviews/<int:review_id>/quality-check                         - O - P S - - - -
GET    /reviews/<int:review_id>/agencies/new                          - O - P S - - - -
POST   /reviews/<int:review_id>/agencies/new                          - O - P S - - - -
GET    /reviews/<int:review_id>/requests/new                          - O - P S - - - -
POST   /reviews/<int:review_id>/requests/new                          - O - P S - - - -
# A request: read by those who see the review and by the agency it went to; answered by
# the agency's partner members (or entered by the office when it came by email).
GET    /reviews/<int:review_id>/requests/<int:request_id>             - O C P S - - - -
POST   /reviews/<int:review_id>/requests/<int:request_id>             - O - P - - - - -
GET    /reviews/<int:review_id>/requests/<int:request_id>/chronology  - O C P S - - - -
GET    /reviews/<int:review_id>/recommendations/new                   - O - - - - - - -
POST   /reviews/<int:review_id>/recommendations/new                   - O - - - - - - -
GET    /reviews/<int:review_id>/recommendations/<int:recommendation_id>/actions/new  - O - - - - - - -
POST   /reviews/<int:review_id>/recommendations/<int:recommendation_id>/actions/new  - O - - - - - - -
GET    /api/v1/reviews                                                - O C P S - - - -
POST   /api/v1/reviews                                                - O C P S V A L X
GET    /api/v1/reviews/<int:review_id>                                - O C P S - - - -
PATCH  /api/v1/reviews/<int:review_id>                                - O - - - - - - -
PUT    /api/v1/reviews/<int:review_id>/screening                      - O - P S - - - -
PUT    /api/v1/reviews/<int:review_id>/rapid-review                   - O - P S - - - -
PUT    /api/v1/reviews/<int:review_id>/commissioning                  - O - - - - - - -
PUT    /api/v1/reviews/<int:review_id>/report-sent-to-panel           - O - - - - - - -
GET    /api/v1/reviews/<int:review_id>/information-requests           - O C P S - - - -
POST   /api/v1/reviews/<int:review_id>/information-requests           - O - P S - - - -
GET    /api/v1/reviews/<int:review_id>/recommendations                - O C P S - - - -
POST   /api/v1/reviews/<int:review_id>/recommendations                - O - - - - - - -
POST   /api/v1/reviews/<int:review_id>/recommendations/<int:recommendation_id>/actions  - O - - - - - - -
GET    /api/v1/reviews/<int:entity_id>/history                        - O C P S - - - -
POST   /api/v1/reviews/<int:entity_id>/transitions                    - O C P S - - - -
GET    /api/v1/information-requests                                   - O C P S - - - -
GET    /api/v1/information-requests/<int:request_id>                  - O C P S - - - -
POST   /api/v1/information-requests                                   - O - - - - - - -
GET    /api/v1/information-requests/<int:request_id>/letter.<fmt>     - O C P S - - - -
GET    /api/v1/information-requests/<int:entity_id>/history           - O C P S - - - -
# Answering is the agency's; withdrawing and asking again the office's and the
# sub-group's. The chair reads requests but fires none.
POST   /api/v1/information-requests/<int:entity_id>/transitions       - O - P S - - - -
GET    /api/v1/reports/review-timeliness                              - O C - - - - - -

# --- The learning library ("Learning from reviews"): findings are learning meant to be
# shared, so every role but the administrator (no case content) reads the library — the
# viewer too, who never reads "findings' non-public text": a finding's statement is shown
# only to whoever may see its source (the services; tests/library/), the others read the
# anonymised public statement and the tags. Only the business office records findings.
GET    /findings                                                      - O C P S V - L X
GET    /findings/<int:finding_id>                                     - O C P S V - L X
GET    /findings/<int:finding_id>/edit                                - O - - - - - - -
POST   /findings/<int:finding_id>/edit                                - O - - - - - - -
GET    /reviews/<int:review_id>/findings/new                          - O - - - - - - -
POST   /reviews/<int:review_id>/findings/new                          - O - - - - - - -
GET    /api/v1/findings                                               - O C P S V - L X
POST   /api/v1/findings                                               - O - - - - - - -
GET    /api/v1/findings/<int:finding_id>                              - O C P S V - L X
PATCH  /api/v1/findings/<int:finding_id>                              - O - - - - - - -
# From recommendation to impact: re-audits concern case reviews' recommendations, run by
# the office and overseen by the chair; which findings a recommendation answers is the
# office's to record. The learning report holds counts only (no case content), read as
# the library is.
GET    /reaudits                                                      - O C - - - - - -
GET    /reaudits/<int:reaudit_id>                                     - O C - - - - - -
POST   /reaudits/<int:reaudit_id>                                     - O - - - - - - -
GET    /reviews/<int:review_id>/recommendations/<int:recommendation_id>/findings  - O - - - - - - -
POST   /reviews/<int:review_id>/recommendations/<int:recommendation_id>/findings  - O - - - - - - -
PUT    /api/v1/recommendations/<int:recommendation_id>/findings      - O - - - - - - -
GET    /api/v1/reaudits                                               - O C - - - - - -
POST   /api/v1/reaudits/<int:reaudit_id>/result                       - O - - - - - - -
GET    /api/v1/reports/learning                                       - O C P S V - L X
# The other sources (learning reviews, multi-agency audits): entered by the office, listed
# for the office and the chair (their findings reach everyone through the library).
GET    /api/v1/learning-reviews                                       - O C - - - - - -
POST   /api/v1/learning-reviews                                       - O - - - - - - -
GET    /api/v1/audits                                                 - O C - - - - - -
POST   /api/v1/audits                                                 - O - - - - - - -
GET    /learning-reviews                                              - O C - - - - - -
GET    /learning-reviews/new                                          - O - - - - - - -
POST   /learning-reviews/new                                          - O - - - - - - -
GET    /learning-reviews/<int:review_id>/edit                         - O - - - - - - -
POST   /learning-reviews/<int:review_id>/edit                         - O - - - - - - -
GET    /learning-reviews/<int:review_id>/findings/new                 - O - - - - - - -
POST   /learning-reviews/<int:review_id>/findings/new                 - O - - - - - - -
GET    /audits                                                        - O C - - - - - -
GET    /audits/new                                                    - O - - - - - - -
POST   /audits/new                                                    - O - - - - - - -
GET    /audits/<int:audit_id>/edit                                    - O - - - - - - -
POST   /audits/<int:audit_id>/edit                                    - O - - - - - - -
GET    /audits/<int:audit_id>/findings/new                            - O - - - - - - -
POST   /audits/<int:audit_id>/findings/new                            - O - - - - - - -
# Learning briefings (issue 20): "published learning briefings" are the viewers' to read
# (roles table), and every role's that uses the library but the administrator; a draft is
# the office's, the chair's and the source's sub-group's (the service's need-to-know: 404
# for the others). The office writes, edits and publishes them; a partner member (a
# sub-group chair is one) confirms their own organisation shared one, the office any.
GET    /briefings                                                     - O C P S V - L X
GET    /briefings/new                                                 - O - - - - - - -
POST   /briefings/new                                                 - O - - - - - - -
GET    /briefings/<int:briefing_id>                                   - O C P S V - L X
GET    /briefings/<int:briefing_id>/edit                              - O - - - - - - -
POST   /briefings/<int:briefing_id>/edit                              - O - - - - - - -
GET    /briefings/<int:briefing_id>/publish                           - O - - - - - - -
POST   /briefings/<int:briefing_id>/publish                           - O - - - - - - -
GET    /briefings/<int:briefing_id>/confirm                           - O - P S - - - -
POST   /briefings/<int:briefing_id>/confirm                           - O - P S - - - -
GET    /briefings/<int:briefing_id>.pdf                               - O C P S V - L X
GET    /briefings/<int:briefing_id>.docx                              - O C P S V - L X
GET    /api/v1/briefings                                              - O C P S V - L X
POST   /api/v1/briefings                                              - O - - - - - - -
GET    /api/v1/briefings/<int:briefing_id>                            - O C P S V - L X
PATCH  /api/v1/briefings/<int:briefing_id>                            - O - - - - - - -
POST   /api/v1/briefings/<int:briefing_id>/publish                    - O - - - - - - -
GET    /api/v1/briefings/<int:briefing_id>/confirmations              - O C P S V - L X
POST   /api/v1/briefings/<int:briefing_id>/confirmations              - O - P S - - - -

# --- Joint decisions of the children's safeguarding partners ("Children's safeguarding
# arrangements"): decided by the partners (LSP or DSP) only, each answering for their own
# organisation; the office puts the case questions and may withdraw one; the Independent
# Chair and the scrutineer "may advise; they do not decide" (read and comment). Partner
# members, sub-group chairs, viewers and administrators have no part in them.
GET    /joint-decisions                                               - O C - - - - L X
GET    /joint-decisions/<int:decision_id>                             - O C - - - - L X
POST   /joint-decisions/<int:decision_id>/answer                      - - - - - - - L -
POST   /joint-decisions/<int:decision_id>/comment                     - - C - - - - - X
POST   /joint-decisions/<int:decision_id>/withdraw                    - O - - - - - - -
GET    /reviews/<int:review_id>/joint-decisions/<subject>             - O - - - - - - -
POST   /reviews/<int:review_id>/joint-decisions/<subject>             - O - - - - - - -
GET    /api/v1/joint-decisions                                        - O C - - - - L X
POST   /api/v1/joint-decisions                                        - O - - - - - - -
GET    /api/v1/joint-decisions/<int:decision_id>                      - O C - - - - L X
POST   /api/v1/joint-decisions/<int:decision_id>/answers              - - - - - - - L -
POST   /api/v1/joint-decisions/<int:decision_id>/comments             - - C - - - - - X
POST   /api/v1/joint-decisions/<int:decision_id>/withdraw             - O - - - - - - -

# --- Budget and partner contributions. The office manages the money; the chair sees it
# all and approves; a partner member sees budgets and "their organisation's contributions"
# (agreements, invoices, payments: the services hide another partner's); viewers read
# "approved budgets (lines and totals)" (the services hide drafts); administrators see no
# money. Spend (suppliers, contracts) is the office's and the chair's.
GET    /budget                                                        - O C P - V - - -
GET    /budget/new                                                    - O - - - - - - -
POST   /budget/new                                                    - O - - - - - - -
GET    /budget/<year>                                                 - O C P - V - - -
GET    /budget/<year>/settings                                        - O - - - - - - -
POST   /budget/<year>/settings                                        - O - - - - - - -
GET    /budget/<year>/lines/new                                       - O - - - - - - -
POST   /budget/<year>/lines/new                                       - O - - - - - - -
GET    /budget/<year>/lines/<int:line_id>                             - O - - - - - - -
POST   /budget/<year>/lines/<int:line_id>                             - O - - - - - - -
GET    /budget/<year>/lines/<int:line_id>/forecast                    - O - - - - - - -
POST   /budget/<year>/lines/<int:line_id>/forecast                    - O - - - - - - -
GET    /budget/<year>/income/new                                      - O - - - - - - -
POST   /budget/<year>/income/new                                      - O - - - - - - -
GET    /budget/<year>/income/<int:income_id>                          - O - - - - - - -
POST   /budget/<year>/income/<int:income_id>                          - O - - - - - - -
GET    /budget/<year>/contributions                                   - O C P - - - - -
GET    /budget/<year>/contributions.<fmt>                             - O C P - - - - -
GET    /budget/<year>/contributions/new                               - O - - - - - - -
POST   /budget/<year>/contributions/new                               - O - - - - - - -
GET    /budget/contributions/<int:agreement_id>                       - O - - - - - - -
POST   /budget/contributions/<int:agreement_id>                       - O - - - - - - -
GET    /budget/contributions/<int:agreement_id>/invoice               - O - - - - - - -
POST   /budget/contributions/<int:agreement_id>/invoice               - O - - - - - - -
GET    /budget/invoices                                               - O C P - - - - -
GET    /budget/invoices/<int:invoice_id>                              - O C P - - - - -
# Recording a payment against the invoice is the office's.
POST   /budget/invoices/<int:invoice_id>                              - O - - - - - - -
GET    /budget/invoices/<int:invoice_id>/pdf                          - O C P - - - - -
GET    /budget/invoices/<int:invoice_id>/cancel                       - O - - - - - - -
POST   /budget/invoices/<int:invoice_id>/cancel                       - O - - - - - - -
GET    /budget/payments/<int:payment_id>/reverse                      - O - - - - - - -
POST   /budget/payments/<int:payment_id>/reverse                      - O - - - - - - -
GET    /budget/organisations/<int:org_id>                             - O C P - - - - -
GET    /budget/<year>/spend                                           - O C - - - - - -
GET    /budget/<year>/spend/new                                       - O - - - - - - -
POST   /budget/<year>/spend/new                                       - O - - - - - - -
GET    /budget/spend/<int:entry_id>/end                               - O - - - - - - -
POST   /budget/spend/<int:entry_id>/end                               - O - - - - - - -
# Monitoring (budget, committed, actual, forecast per line) goes to the Board's members.
GET    /budget/<year>/monitoring                                      - O C P - - - - -
GET    /budget/<year>/monitoring.<fmt>                                - O C P - - - - -
# Each arm's budget of a year side by side (the budgets' own visibility: partners see no drafts).
GET    /budget/combined/<year>/monitoring                             - O C P - - - - -
GET    /budget/combined/<year>/monitoring.<fmt>                       - O C P - - - - -
# The contribution scheme names every partner's share: the office (who changes it) and the chair
# ("sees everything"); a partner sees their own contribution and how it was worked out.
GET    /budget/<year>/scheme                                          - O C - - - - - -
POST   /budget/<year>/scheme                                          - O - - - - - - -
# A budget's invoices with the host council's finance reference (partners: their own).
GET    /budget/<year>/invoices.<fmt>                                  - O C P - - - - -
# The finance reference is entered by the office, who raises the invoices.
GET    /budget/invoices/<int:invoice_id>/reference                    - O - - - - - - -
POST   /budget/invoices/<int:invoice_id>/reference                    - O - - - - - - -
GET    /api/v1/budgets                                                - O C P - V - - -
POST   /api/v1/budgets                                                - O - - - - - - -
GET    /api/v1/budgets/<budget_ref>                                   - O C P - V - - -
PATCH  /api/v1/budgets/<budget_ref>                                   - O - - - - - - -
GET    /api/v1/budgets/<budget_ref>/lines                             - O C P - V - - -
POST   /api/v1/budgets/<budget_ref>/lines                             - O - - - - - - -
PATCH  /api/v1/budgets/<budget_ref>/lines/<int:line_id>               - O - - - - - - -
GET    /api/v1/budgets/<budget_ref>/income                            - O C P - V - - -
POST   /api/v1/budgets/<budget_ref>/income                            - O - - - - - - -
PATCH  /api/v1/budgets/<budget_ref>/income/<int:income_id>            - O - - - - - - -
GET    /api/v1/budgets/<budget_ref>/scheme                            - O C - - - - - -
PUT    /api/v1/budgets/<budget_ref>/scheme                            - O - - - - - - -
GET    /api/v1/budgets/<int:entity_id>/history                        - O C P - - - - -
# Proposing and closing the year are the office's; approving the office's or the chair's.
POST   /api/v1/budgets/<int:entity_id>/transitions                    - O C - - - - - -
GET    /api/v1/contribution-agreements                                - O C P - - - - -
POST   /api/v1/contribution-agreements                                - O - - - - - - -
GET    /api/v1/contribution-agreements/<int:agreement_id>             - O C P - - - - -
PATCH  /api/v1/contribution-agreements/<int:agreement_id>             - O - - - - - - -
GET    /api/v1/invoices                                               - O C P - - - - -
POST   /api/v1/invoices                                               - O - - - - - - -
GET    /api/v1/invoices/<int:invoice_id>                              - O C P - - - - -
PATCH  /api/v1/invoices/<int:invoice_id>                              - O - - - - - - -
GET    /api/v1/invoices/<int:invoice_id>/pdf                          - O C P - - - - -
POST   /api/v1/invoices/<int:invoice_id>/cancel                       - O - - - - - - -
GET    /api/v1/payments                                               - O C P - - - - -
POST   /api/v1/payments                                               - O - - - - - - -
GET    /api/v1/payments/<int:payment_id>                              - O C P - - - - -
POST   /api/v1/payments/<int:payment_id>/reverse                      - O - - - - - - -
GET    /api/v1/reports/budget-monitoring                              - O C P - - - - -
GET    /api/v1/reports/contributions                                  - O C P - - - - -
GET    /api/v1/reports/invoices                                       - O C P - - - - -
GET    /api/v1/spend                                                  - O C - - - - - -
POST   /api/v1/spend                                                  - O - - - - - - -
GET    /api/v1/spend/<int:entry_id>                                   - O C - - - - - -
POST   /api/v1/spend/<int:entry_id>/end                               - O - - - - - - -

# --- Annual report: "the business office drafts the report", with narrative sections by
# named writers (members); the chair returns or approves it; once published every reader
# has it — viewers read "published annual and yearly reports" (the services hide drafts
# from everyone but the office, the chair and the sections' writers). The safeguarding
# partners (L) and the scrutineer (X) read them too, and the children's yearly report while
# drafted: the partners sign it off jointly, the scrutineer's assessment is a section.
GET    /annual-reports                                                - O C P S V - L X
POST   /annual-reports/new                                            - O - - - - - - -
GET    /annual-reports/<int:report_id>                                - O C P S V - L X
GET    /annual-reports/<int:report_id>.<fmt>                          - O C P S V - L X
POST   /annual-reports/<int:report_id>/refresh                        - O - - - - - - -
# The children's yearly report, published, is sent to the national Panel and to
# Foundations by the office (Working Together 2023: within 7 days).
POST   /annual-reports/<int:report_id>/send-nationally                - O - - - - - - -
# The adults' report, approved, goes before the Board for its agreement: the office puts it
# on the agenda. Publication sends it to each recipient through the outbox; the office keeps
# the distribution list (recipients' addresses: contact data) and sends a failed or held
# email again. Who received it and how it went is read with the report (addresses: the
# office's only, by the service).
POST   /annual-reports/<int:report_id>/board-agenda                   - O - - - - - - -
GET    /annual-reports/<int:report_id>/recipients/<int:recipient_id>/send  - O - - - - - - -
POST   /annual-reports/<int:report_id>/recipients/<int:recipient_id>/send  - O - - - - - - -
GET    /annual-reports/distribution-list                              - O - - - - - - -
GET    /annual-reports/distribution-list/<int:organisation_id>/<role_key>  - O - - - - - - -
POST   /annual-reports/distribution-list/<int:organisation_id>/<role_key>  - O - - - - - - -
# A published report is public (Care Act 2014 Schedule 2 para 4: the Board publishes it):
# its PDF is the link sent to recipients who take a link; anything unpublished is a 404.
GET    /published/annual-reports/<int:report_id>.pdf                  * O C P S V A L X
POST   /api/v1/annual-reports/<int:report_id>/board-agenda            - O - - - - - - -
GET    /api/v1/annual-reports/distribution-list                       - O - - - - - - -
PUT    /api/v1/annual-reports/distribution-list/<int:organisation_id>/<role_key>  - O - - - - - - -
GET    /api/v1/annual-reports/<int:report_id>/recipients              - O C P S V - L X
POST   /api/v1/annual-reports/<int:report_id>/recipients/<int:recipient_id>/send  - O - - - - - - -
GET    /annual-reports/<int:report_id>/return                         - - C - - - - - -
POST   /annual-reports/<int:report_id>/return                         - - C - - - - - -
# A section: the office, or its named writer (a member, the chair for the foreword, the
# scrutineer for the assessment); viewers only read.
GET    /annual-reports/<int:report_id>/sections/<int:section_id>/edit - O C P S - - L X
POST   /annual-reports/<int:report_id>/sections/<int:section_id>/edit - O C P S - - L X
GET    /annual-reports/<int:report_id>/sections/<int:section_id>/writer  - O - - - - - - -
POST   /annual-reports/<int:report_id>/sections/<int:section_id>/writer  - O - - - - - - -
GET    /api/v1/annual-reports                                         - O C P S V - L X
POST   /api/v1/annual-reports                                         - O - - - - - - -
GET    /api/v1/annual-reports/<int:report_id>                         - O C P S V - L X
GET    /api/v1/annual-reports/<int:report_id>.<fmt>                   - O C P S V - L X
GET    /api/v1/annual-reports/<int:report_id>/sections                - O C P S V - L X
PATCH  /api/v1/annual-reports/<int:report_id>/sections/<int:section_id>  - O C P S - - L X
PUT    /api/v1/annual-reports/<int:report_id>/sections/<int:section_id>/writer  - O - - - - - - -
PUT    /api/v1/annual-reports/<int:report_id>/comments                - - C - - - - - -
POST   /api/v1/annual-reports/<int:report_id>/national-sending        - O - - - - - - -
# The drafting trail (submitted, returned with the chair's comments on the draft): not
# the published report, so not the viewers'.
GET    /api/v1/annual-reports/<int:entity_id>/history                 - O C P S - - L X
POST   /api/v1/annual-reports/<int:entity_id>/transitions             - O C - - - - - -

# --- Business plans and sub-group work plans ("Sub-group work plans"). The office records
# the year's business plan; viewers read "the published strategic and business plans" (a
# business plan is recorded once the Partnership has agreed it). Work plans, their items,
# progress, highlight reports to the Board and terms-of-reference reviews are the groups'
# working papers, not public record: no viewers. A sub-group's chair keeps its work plan;
# an item's lead (a member) reports progress; the Board approves.
GET    /workplans/business-plans                                      - O C P S V - - -
GET    /workplans/business-plans/new                                  - O - - - - - - -
POST   /workplans/business-plans/new                                  - O - - - - - - -
GET    /workplans/business-plans/<int:plan_id>                        - O C P S V - - -
GET    /workplans/business-plans/<int:plan_id>/edit                   - O - - - - - - -
POST   /workplans/business-plans/<int:plan_id>/edit                   - O - - - - - - -
GET    /workplans/business-plans/<int:plan_id>/priorities/new         - O - - - - - - -
POST   /workplans/business-plans/<int:plan_id>/priorities/new         - O - - - - - - -
GET    /workplans/priorities/<int:priority_id>/edit                   - O - - - - - - -
POST   /workplans/priorities/<int:priority_id>/edit                   - O - - - - - - -
GET    /api/v1/business-plans                                         - O C P S V - - -
POST   /api/v1/business-plans                                         - O - - - - - - -
GET    /api/v1/business-plans/<int:plan_id>/priorities                - O C P S V - - -
POST   /api/v1/business-plans/<int:plan_id>/priorities                - O - - - - - - -
GET    /workplans                                                     - O C P S - - - -
GET    /workplans/new                                                 - O - - S - - - -
POST   /workplans/new                                                 - O - - S - - - -
GET    /workplans/<int:plan_id>                                       - O C P S - - - -
GET    /workplans/<int:plan_id>/items/new                             - O - - S - - - -
POST   /workplans/<int:plan_id>/items/new                             - O - - S - - - -
GET    /workplans/items/<int:item_id>                                 - O C P S - - - -
GET    /workplans/items/<int:item_id>/edit                            - O - - S - - - -
POST   /workplans/items/<int:item_id>/edit                            - O - - S - - - -
POST   /workplans/items/<int:item_id>/updates                         - O - P S - - - -
GET    /workplans/items/<int:item_id>/status                          - O - P S - - - -
POST   /workplans/items/<int:item_id>/status                          - O - P S - - - -
GET    /workplans/items/<int:item_id>/risk                            - O - P S - - - -
POST   /workplans/items/<int:item_id>/risk                            - O - P S - - - -
GET    /workplans/items/<int:item_id>/override                        - O - - S - - - -
POST   /workplans/items/<int:item_id>/override                        - O - - S - - - -
GET    /workplans/items/<int:item_id>/year-end                        - O - - S - - - -
POST   /workplans/items/<int:item_id>/year-end                        - O - - S - - - -
GET    /workplans/updates/<int:update_id>/evidence                    - O C P S - - - -
GET    /workplans/partnership                                         - O C P S - - - -
GET    /workplans/highlight                                           - O C P S - - - -
GET    /workplans/highlight.pdf                                       - O C P S - - - -
GET    /workplans/highlight.docx                                      - O C P S - - - -
POST   /workplans/highlight/attach                                    - O - - S - - - -
GET    /workplans/tor-reviews                                         - O C P S - - - -
GET    /workplans/tor-reviews/new                                     - O - - S - - - -
POST   /workplans/tor-reviews/new                                     - O - - S - - - -
GET    /api/v1/work-plans                                             - O C P S - - - -
POST   /api/v1/work-plans                                             - O - - S - - - -
GET    /api/v1/work-plans/<int:plan_id>                               - O C P S - - - -
GET    /api/v1/work-plans/<int:plan_id>/items                         - O C P S - - - -
POST   /api/v1/work-plans/<int:plan_id>/items                         - O - - S - - - -
GET    /api/v1/work-plan-items/<int:item_id>                          - O C P S - - - -
PATCH  /api/v1/work-plan-items/<int:item_id>                          - O - P S - - - -
GET    /api/v1/work-plan-items/<int:item_id>/updates                  - O C P S - - - -
POST   /api/v1/work-plan-items/<int:item_id>/updates                  - O - P S - - - -
GET    /api/v1/reports/highlight                                      - O C P S - - - -
GET    /api/v1/work-plans/<int:entity_id>/history                     - O C P S - - - -
# Submitting and closing: the office or the sub-group's chair; returning: they or the
# chair; approving: the office, from the Board's decision.
POST   /api/v1/work-plans/<int:entity_id>/transitions                 - O C - S - - - -
# --- One search across the records (issue 25; domain.md "Information governance": "find
# every record that mentions a person or a subject, across years, within need-to-know").
# Every role that opens some record: the office, the chair, partner members, sub-group
# chairs, viewers (ratified minutes, public findings), the safeguarding partners and the
# scrutineer (the learning library). Never the administrator (no case content). Which
# records each finds is each record's own rule (tests/search/test_need_to_know.py).
GET    /search                                                        - O C P S V - L X
GET    /api/v1/search                                                 - O C P S V - L X
"""

# Walked for anonymous only: signing out would end the role's session mid-walk (signing
# out is tested in tests/test_auth.py).
ANONYMOUS_ONLY = {("POST", "/sign-out")}


def _table() -> dict[tuple[str, str], dict[Role | None, bool]]:
    table: dict[tuple[str, str], dict[Role | None, bool]] = {}
    for n, raw in enumerate(TABLE.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        method, path, *codes = line.split()
        assert len(codes) == len(COLUMNS), f"line {n}: {raw!r} needs {len(COLUMNS)} columns"
        allowed = {}
        for role, column, code in zip(ROLES, COLUMNS, codes, strict=True):
            assert code in (column, "-"), f"line {n}: {raw!r}: column {column} holds {code!r}"
            allowed[role] = code == column
        assert (method, path) not in table, f"line {n}: {method} {path} twice"
        table[(method, path)] = allowed
    return table


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule) -> str:
    # Every id in a path becomes 999999: a record that does not exist, so an allowed
    # request reaches the view (and 404s) while a refused one is stopped before it.
    url = re.sub(r"<int:[^>]+>", "999999", rule.rule)
    url = re.sub(r"<path:[^>]+>", "missing.txt", url)
    return re.sub(r"<[^>]+>", "missing", url)


def test_the_table_names_every_route_and_only_routes_that_exist(app):
    table = _table()
    served = {(method, rule.rule) for rule, method in _routes(app)}
    missing = sorted(served - set(table))
    gone = sorted(set(table) - served)
    assert not missing, "routes the table does not say who may use:\n" + "\n".join(f"{m} {p}" for m, p in missing)
    assert not gone, "table lines for routes that no longer exist:\n" + "\n".join(f"{m} {p}" for m, p in gone)


def test_public_routes_are_few_and_named():
    public = sorted(f"{m} {p}" for (m, p), allowed in _table().items() if allowed[None])
    assert public == sorted(
        [
            "GET /",
            "GET /accessibility",
            "GET /privacy",
            "GET /healthz",
            "GET /readyz",
            "GET /sign-in",
            "POST /sign-in",
            "GET /static/<path:filename>",
            "GET /assets/<path:filename>",
            "GET /vendor/govuk-frontend.min.js",
            "GET /api/v1/openapi.json",
            "POST /api/v1/auth/token",
            "GET /calendar/<token>.ics",
            # A published annual or yearly report's PDF (the link sent to its recipients).
            "GET /published/annual-reports/<int:report_id>.pdf",
        ]
    )
    # What is public is every role's too.
    assert all(all(allowed.values()) for allowed in _table().values() if allowed[None])


def _only(role: Role, demo) -> User:
    """A user holding exactly this one role (a partner member belongs to County Police)."""
    user = User(
        email=f"only-{role.value}@example.test",
        password_hash="x",
        active=True,
        organisation=demo.org("police") if role == Role.partner_member else None,
    )
    user.role_rows = [UserRole(role=role)]
    db.session.add(user)
    db.session.flush()
    return user


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_each_route_answers_each_role_as_the_table_says(app, client, client_as, demo, role):
    table = _table()
    c = client if role is None else client_as(_only(role, demo))
    problems = []
    for rule, method in _routes(app):
        if (method, rule.rule) in ANONYMOUS_ONLY and role is not None:
            continue
        allowed = table.get((method, rule.rule), {}).get(role)
        if allowed is None:
            continue  # reported by the test above
        url = _url(rule)
        api = url.startswith("/api/")
        response = c.open(url, method=method, json={} if api and method != "GET" else None)
        status, location = response.status_code, response.headers.get("Location", "")
        response.close()
        to_sign_in = status == 302 and "/sign-in" in location
        if allowed:
            ok, expected = status not in (401, 403) and not to_sign_in, "allowed"
        elif role is None:
            ok, expected = (status == 401) if api else to_sign_in, ("401" if api else "a redirect to /sign-in")
        else:
            ok, expected = status == 403, "403"
        if not ok:
            problems.append(f"{method} {rule.rule}: expected {expected}, got {status} {location}".rstrip())
    assert not problems, f"{len(problems)} differences from the table:\n" + "\n".join(problems)


# --- record level: what the role gate cannot see ---------------------------------------------


@pytest.fixture
def healthwatch_letter(demo):
    """The escalation letter ATT-0002 to Healthwatch's chief executive, drafted and waiting
    for the chair's approval."""
    e = db.session.get(Escalation, demo.id("escalations", "drafted"))
    assert e.reference == "ATT-0002" and e.organisation_id == demo.org("healthwatch").id
    assert e.state.value == "letter_drafted" and e.sent_on is None
    return e


def _partner_of(org_key: str, demo, email: str) -> User:
    """A partner member of that organisation (the demo has accounts for four only)."""
    user = User(email=email, password_hash="x", active=True, organisation=demo.org(org_key))
    user.role_rows = [UserRole(role=Role.partner_member)]
    db.session.add(user)
    db.session.flush()
    return user


def test_a_viewer_never_sees_letters_escalations_or_thresholds(client_as, api_as, healthwatch_letter):
    e = healthwatch_letter
    c, a = client_as("viewer"), api_as("viewer")
    for url in (
        "/attendance/escalations",
        f"/attendance/escalations/{e.id}",
        f"/attendance/escalations/{e.id}/letter",
        f"/attendance/escalations/{e.id}/letter.pdf",
        f"/attendance/escalations/{e.id}/letter.docx",
        "/attendance/policies",
    ):
        assert c.get(url).status_code == 403, url
    for url in (
        "/api/v1/escalations",
        f"/api/v1/escalations/{e.id}",
        f"/api/v1/escalations/{e.id}/letter.pdf",
        f"/api/v1/escalations/{e.id}/letter.docx",
        f"/api/v1/escalations/{e.id}/history",
        "/api/v1/attendance-policies",
        f"/api/v1/attendance-policies/{e.group_id}",
    ):
        assert a.get(url).status_code == 403, url
    assert "/attendance/escalations" not in c.get("/home").text


def test_the_draft_letter_is_the_office_and_chair_s_until_it_is_sent(client_as, api_as, demo, healthwatch_letter):
    e = healthwatch_letter
    for who in ("office", "chair"):
        assert client_as(who).get(f"/attendance/escalations/{e.id}/letter.pdf").status_code == 200
        assert api_as(who).get(f"/api/v1/escalations/{e.id}/letter.docx").status_code == 200
    # Not even Healthwatch's own partner member sees a letter the chair has not signed and
    # sent; another organisation's partner never sees it.
    healthwatch = _partner_of("healthwatch", demo, "partner@healthwatch.example.test")
    for who in (healthwatch, demo.user("police")):
        c, a = client_as(who), api_as(who)
        for url in (
            f"/attendance/escalations/{e.id}",
            f"/attendance/escalations/{e.id}/letter",
            f"/attendance/escalations/{e.id}/letter.pdf",
            f"/attendance/escalations/{e.id}/letter.docx",
        ):
            assert c.get(url).status_code == 404, (who.email, url)
        assert a.get(f"/api/v1/escalations/{e.id}/letter.pdf").status_code == 404
        assert e.reference not in c.get("/attendance/escalations?state=all").text


def test_a_partner_sees_the_letters_sent_to_their_own_organisation_only(client_as, demo):
    sent = db.session.get(Escalation, demo.id("escalations", "resolved"))
    assert sent.organisation_id == demo.org("public_health").id and sent.sent_on is not None
    public_health = client_as(_partner_of("public_health", demo, "partner@public-health.example.test"))
    assert public_health.get(f"/attendance/escalations/{sent.id}/letter.pdf").status_code == 200
    assert sent.reference in public_health.get("/attendance/escalations?state=all").text
    police = client_as("police")
    assert police.get(f"/attendance/escalations/{sent.id}/letter.pdf").status_code == 404
    assert sent.reference not in police.get("/attendance/escalations?state=all").text


def _ratified_sar_minutes(demo) -> Minutes:
    """The demo's ratified minutes of the SAR sub-group (May 2026): ratification does not
    make a case sub-group's minutes public."""
    mins = db.session.scalars(
        sa.select(Minutes)
        .join(Minutes.meeting)
        .where(Minutes.state == MinutesState.ratified, Minutes.meeting.has(group_id=demo.group("sar").id))
    ).first()
    assert mins is not None
    return mins


def test_a_viewer_reads_ratified_minutes_but_never_the_case_sub_groups_or_drafts(client_as, api_as, demo):
    c, a = client_as("viewer"), api_as("viewer")
    ratified = demo.id("minutes", "ratified")
    assert c.get(f"/minutes/{ratified}").status_code == 200
    assert a.get(f"/api/v1/minutes/{ratified}").status_code == 200
    for key in ("approved", "submitted", "draft"):
        assert c.get(f"/minutes/{demo.id('minutes', key)}").status_code == 404, key
        assert a.get(f"/api/v1/minutes/{demo.id('minutes', key)}").status_code == 404, key
    sar = _ratified_sar_minutes(demo)
    assert c.get(f"/minutes/{sar.id}").status_code == 404
    assert a.get(f"/api/v1/minutes/{sar.id}").status_code == 404
    assert a.get(f"/api/v1/minutes/{sar.id}/amendments").status_code == 404
    listed = {m["id"] for m in a.get("/api/v1/minutes?per_page=100").json["items"]}
    assert ratified in listed and sar.id not in listed
    assert a.get(f"/api/v1/minutes?group_id={demo.group('sar').id}").json["total"] == 0
    for url in ("/minutes", f"/minutes?group={demo.group('sar').id}"):
        assert f'href="/minutes/{sar.id}"' not in c.get(url).text, url
    assert f'href="/minutes/{ratified}"' in c.get("/minutes").text
    # The SAR sub-group's own members, the office and the chair still read them.
    for who in ("office", "chair", "sarchair"):
        assert client_as(who).get(f"/minutes/{sar.id}").status_code == 200, who


def test_a_viewer_never_sees_case_reviews_disputes_or_complaints(client_as, api_as, demo):
    c, a = client_as("viewer"), api_as("viewer")
    review = demo.id("reviews", "published")
    dispute = demo.id("disputes", "convened")
    complaint = next(iter(demo.ids["complaints"].values()))
    for url in (
        "/reviews",
        "/reviews/all",
        f"/reviews/{review}",
        f"/reviews/{review}/reports/final/download",
        "/disputes",
        f"/disputes/{dispute}",
        "/complaints",
        f"/complaints/{complaint}",
    ):
        assert c.get(url).status_code == 403, url
    for url in (
        "/api/v1/reviews",
        f"/api/v1/reviews/{review}",
        f"/api/v1/reviews/{review}/recommendations",
        "/api/v1/information-requests",
        "/api/v1/reports/review-timeliness",
        "/api/v1/disputes",
        f"/api/v1/disputes/{dispute}",
        "/api/v1/complaints",
        f"/api/v1/complaints/{complaint}",
    ):
        assert a.get(url).status_code == 403, url


def test_a_viewer_reads_the_published_record(client_as, api_as, demo):
    from safeguarding.calendar import today
    from safeguarding.models import AnnualReport
    from tests.support.annual import agree_and_publish

    c, a = client_as("viewer"), api_as("viewer")
    report = db.session.get(AnnualReport, demo.id("annual_reports", "2025-26"))
    # A submitted draft: not yet the viewer's.
    assert c.get(f"/annual-reports/{report.id}").status_code == 404
    assert c.get(f"/annual-reports/{report.id}.pdf").status_code == 404
    agree_and_publish(report, demo, today())
    db.session.flush()
    page = c.get(f"/annual-reports/{report.id}")
    assert page.status_code == 200
    # The drafting trail is not the report.
    assert (
        "Ready for the chair" not in page.text
        and "Ready for the chair" in client_as("office").get(f"/annual-reports/{report.id}").text
    )
    assert a.get(f"/api/v1/annual-reports/{report.id}/history").status_code == 403
    assert c.get(f"/annual-reports/{report.id}.pdf").status_code == 200
    assert a.get(f"/api/v1/annual-reports/{report.id}").status_code == 200
    # Approved budgets, with their lines and totals; not a draft year.
    assert c.get("/budget/2020-21").status_code == 200
    assert "145,340" in c.get("/budget/2020-21").text
    assert a.get("/api/v1/budgets/2020-21/lines").status_code == 200
    assert c.get("/budget/2021-22").status_code == 404
    assert a.get("/api/v1/budgets/2021-22").status_code == 404
    # The attendance report, every organisation's row (the annual report publishes it).
    board = demo.group("board").id
    page = c.get(f"/attendance/report?group={board}")
    assert page.status_code == 200 and "Healthwatch" in page.text and "County Police" in page.text
    assert a.get(f"/api/v1/reports/attendance?group={board}").status_code == 200
    # The business plans; not the sub-groups' working papers.
    assert c.get("/workplans/business-plans").status_code == 200
    assert c.get(f"/workplans/business-plans/{demo.id('business_plans', '2026')}").status_code == 200
    for key, plan_id in demo.ids["work_plans"].items():
        assert c.get(f"/workplans/{plan_id}").status_code == 403, key


def test_an_administrator_sees_accounts_and_roles_but_no_case_content_letters_or_money(
    client_as, api_as, demo, healthwatch_letter
):
    c, a = client_as("admin"), api_as("admin")
    assert c.get("/admin/users").status_code == 200
    assert c.get(f"/admin/users/{demo.user('police').id}").status_code == 200
    review = demo.id("reviews", "published")
    invoice = demo.id("invoices", "police")
    for url in (
        f"/reviews/{review}",
        f"/attendance/escalations/{healthwatch_letter.id}/letter.pdf",
        "/attendance/escalations",
        "/budget",
        "/budget/2020-21",
        "/budget/invoices",
        f"/budget/invoices/{invoice}/pdf",
        f"/minutes/{demo.id('minutes', 'ratified')}",
        "/disputes",
        "/actions",
        "/meetings",
        "/outbox",
        "/audit",
    ):
        assert c.get(url).status_code == 403, url
    for url in (
        f"/api/v1/reviews/{review}",
        "/api/v1/invoices",
        "/api/v1/budgets",
        "/api/v1/payments",
        "/api/v1/escalations",
        "/api/v1/contribution-agreements",
        "/api/v1/reports/attendance",
    ):
        assert a.get(url).status_code == 403, url


def test_a_partner_sees_their_own_organisation_s_money_and_actions_only(client_as, api_as, demo):
    c, a = client_as("police"), api_as("police")
    own, other = demo.id("invoices", "police"), demo.id("invoices", "icb")
    assert c.get(f"/budget/invoices/{own}").status_code == 200
    assert c.get(f"/budget/invoices/{own}/pdf").status_code == 200
    assert a.get(f"/api/v1/invoices/{own}").status_code == 200
    assert c.get(f"/budget/invoices/{other}").status_code == 404
    assert c.get(f"/budget/invoices/{other}/pdf").status_code == 404
    assert a.get(f"/api/v1/invoices/{other}").status_code == 404
    assert {i["organisation_id"] for i in a.get("/api/v1/invoices").json["items"]} == {demo.org("police").id}
    own_agreement, other_agreement = demo.id("agreements", "police"), demo.id("agreements", "icb")
    assert a.get(f"/api/v1/contribution-agreements/{own_agreement}").status_code == 200
    assert a.get(f"/api/v1/contribution-agreements/{other_agreement}").status_code == 404
    assert c.get(f"/budget/organisations/{demo.org('icb').id}").status_code == 404
    # Actions: their organisation's; not another organisation's in a group they do not sit on.
    assert c.get(f"/actions/{demo.id('actions', 'police_overdue')}").status_code == 200
    assert c.get(f"/actions/{demo.id('actions', 'icb_progress')}").status_code == 404
    assert a.get(f"/api/v1/actions/{demo.id('actions', 'icb_progress')}").status_code == 404
    # Progress on another organisation's action is theirs to post, not the police's.
    assert c.post(f"/actions/{demo.id('actions', 'icb_progress')}", data={"text": "x"}).status_code == 404


def test_a_partner_sees_a_case_review_only_where_their_organisation_is_named(client_as, api_as, demo):
    from safeguarding.models import Review, ReviewAgency

    def named(key):
        return set(
            db.session.scalars(
                sa.select(ReviewAgency.organisation_id).where(ReviewAgency.review_id == demo.id("reviews", key))
            )
        )

    police = demo.org("police").id
    assert police in named("published") and police not in named("published_recently")
    c, a = client_as("police"), api_as("police")
    named_review = db.session.get(Review, demo.id("reviews", "published"))
    page = c.get(f"/reviews/{named_review.id}")
    assert page.status_code == 200
    # Their agency's view: their own actions, not the case in full nor the others' actions.
    assert "Agree an information-sharing protocol" in page.text
    assert "Add a safety plan to the mental health discharge checklist" not in page.text
    # The API gives a review in full only: an agency has its requests through
    # /api/v1/information-requests, not the review.
    assert a.get(f"/api/v1/reviews/{named_review.id}").status_code == 404
    assert a.get(f"/api/v1/reviews/{named_review.id}/recommendations").status_code == 404
    other = demo.id("reviews", "published_recently")
    assert c.get(f"/reviews/{other}").status_code == 404
    assert a.get(f"/api/v1/reviews/{other}").status_code == 404
    assert c.get(f"/reviews/{other}/reports/final/download").status_code == 404
    listed = c.get("/reviews/all").text
    assert db.session.get(Review, other).reference not in listed


def test_navigation_shows_only_what_the_role_may_open(client_as):
    # The header and, on a section's pages, the row of its pages ("In this section").
    v = client_as("viewer")
    viewer = v.get("/home").text + v.get("/minutes").text + v.get("/annual-reports").text
    for href in (
        'href="/attendance/escalations',
        'href="/workplans"',
        'href="/reviews"',
        'href="/disputes"',
        'href="/meetings"',
        'href="/actions"',
    ):
        assert href not in viewer, href
    for href in ('href="/minutes"', 'href="/annual-reports"', 'href="/budget"', 'href="/attendance/report"'):
        assert href in viewer, href
    admin = client_as("admin").get("/home").text
    for href in ('href="/budget"', 'href="/minutes"', 'href="/attendance/report"', 'href="/annual-reports"'):
        assert href not in admin, href
    assert 'href="/admin/users"' in admin
    # An administrator holds accounts, not case content: no referral panel on their home page.
    assert 'href="/reviews/refer"' not in admin and 'href="/reviews/refer"' in viewer


HREF = re.compile(r'href="(/[^"#]*)"')


@pytest.mark.parametrize("who", ["viewer", "admin", "police", "sarchair", "chair"])
def test_pages_link_only_to_what_the_role_may_open(app, client_as, demo, who):
    """Crawl the pages a demo account reaches from its home page (a few of each kind) and
    check every link on them against the table: no link to a page the role is refused."""
    from urllib.parse import urlsplit

    from werkzeug.exceptions import HTTPException

    table = _table()
    c = client_as(who)
    roles = c.user.roles
    adapter = app.url_map.bind("localhost")
    queue, seen, per_endpoint, problems = ["/home"], set(), {}, []
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = c.get(url)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        for href in HREF.findall(response.text):
            path = urlsplit(href).path
            if path.startswith(("/static/", "/assets/", "/vendor/")):
                continue
            try:
                rule, _ = adapter.match(path, method="GET", return_rule=True)
            except HTTPException:
                continue
            allowed = table.get(("GET", rule.rule), {})
            if not any(allowed.get(r) for r in roles):
                problems.append(f"{url} links to {href} ({rule.rule})")
                continue
            n = per_endpoint.get(rule.endpoint, 0)
            if href not in seen and n < 3 and "." not in path.rsplit("/", 1)[-1] and rule.endpoint != "auth.sign_in":
                per_endpoint[rule.endpoint] = n + 1
                queue.append(href)
    assert not problems, "\n".join(sorted(set(problems)))
