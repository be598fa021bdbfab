"""Working the claim queue: the actions log and claims register (log), validated actions (actions), case
packets and the daily batch (packets), deadline digests (digest)."""
