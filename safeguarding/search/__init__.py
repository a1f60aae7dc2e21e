"""One search across the partnership's records: the page, the header's box, the API and
`flask search reindex`."""
