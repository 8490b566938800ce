"""The screen: wording, the one date formatter, tables, the card, JSON shapes."""
