"""Public portal: the plan for citizens, politics and business (KERN UX, German)."""
