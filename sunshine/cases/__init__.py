"""Cases and the calendar: what a case is and when things fall due.

``stages`` (the stage model: which events move a case where), ``calendar``
(working days, holidays and the Asia/Shanghai clock), ``timeline`` (a case's
events to its public record, deadlines included) and ``query_code`` (the
codes petitioners look their case up with). The tracker, the statistics and
the fetcher build on these; they import nothing above them.
"""
