"""Proactive publication (主动公开): the document registry, disclosure attributes, the
review chain, publication deadlines, the approval form and the publication register."""
