"""Learning briefings: the one-page "7-minute briefing" of a review, a learning review
or an audit, and its dissemination by the partner organisations."""
