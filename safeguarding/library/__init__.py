"""The learning library: findings from every source, searched and followed to impact."""
