"""Users, roles and the demo accounts of KEK-Monitor."""
