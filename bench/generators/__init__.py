"""Data generators at benchmark scale. Each feature adds a module here with a
`generate(ctx)` function and an ORDER; `bench.generate` runs them in order."""
