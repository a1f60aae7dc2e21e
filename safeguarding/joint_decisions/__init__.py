"""Joint decisions of the children's safeguarding partners: the questions put to them, their
answers, the chair's and scrutineer's comments (pages and API)."""
