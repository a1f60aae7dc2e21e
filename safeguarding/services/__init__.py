"""The only writers: verb-named functions that change the model, leave an audit trail and
queue side effects, all inside the caller's transaction. Routes, API and jobs call these."""
