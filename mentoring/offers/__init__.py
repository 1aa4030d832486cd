"""Mentor offers: mentors browse mentees still looking and offer to mentor one.

``browsing`` ranks the mentees still looking for a mentor; ``sending`` holds the rules of
offering (and sends); ``room`` cancels a mentor's offers the moment they have no slot left.
An offer is answered through the lifecycle every ask shares (mentoring.asks, and accepting in
mentoring.requests.answers, which starts the relationship).
"""
