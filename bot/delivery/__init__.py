"""Getting each edition to each subscriber once, at their local time: the scheduling math
(``schedule``) and the fan-out (``dispatcher``).
"""
