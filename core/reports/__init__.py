"""Reports built from the stored records: the annual report (年度报告)."""
