"""From reports to data: candidate incidents and casualty claims found in news text,
each with the words that state it (one stage per module)."""
