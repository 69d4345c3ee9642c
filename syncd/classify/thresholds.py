"""Every number the classifier uses, in one place, with the reason for its default.

Speeds are relative to the athlete's easy pace (from the profile, else the run's own warm-up and
cool-down): no absolute paces, so the same rules serve a 4:30/km and a 7:00/km runner.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """Tunable thresholds. Change a default -> bump CLASSIFIER_VERSION."""

    # --- labels -------------------------------------------------------------------------------
    long_run_minutes: float = 90.0  # the coach's plan: a long run is >= 90 min moving
    min_reps: int = 3  # fewer fast efforts than this is not a session (2 x 3 km: progression)

    # --- cleaning -----------------------------------------------------------------------------
    max_speed: float = 11.0  # m/s; faster samples are GPS spikes (a 20 m/s jump at the start)
    grid_s: float = 1.0  # streams are resampled to this step (smart recording is 1-7 s)
    max_grid_points: int = 200_000  # cap (55 h at 1 Hz); garbage timestamps must not blow up
    speed_window_s: float = 11.0  # centred window for speed from distance: real GPS distance
    # noise is ~1 m/s per 2-3 s sample; a 100 m sprint (~15 s) still shows at full speed
    alt_window_s: float = 31.0  # altitude smoothing: GPS altitude noise of metres fakes grade
    grade_half_window_s: float = 15.0  # grade from smoothed altitude over +-15 s
    grade_min_distance_m: float = 20.0  # below this horizontal distance the grade is unknown
    grade_dead_band: float = 0.015  # |grade| below 1.5 % is noise for the effort speed
    max_abs_grade: float = 0.30  # clip (fraction): steeper is altitude noise at walking speed

    # --- movement -----------------------------------------------------------------------------
    stop_speed: float = 0.5  # m/s; slower is standing (a crossing, a stand-still recovery)
    walk_speed: float = 1.9  # m/s; slower than this but moving is walking / power-hiking

    # --- reference (easy) effort ------------------------------------------------------------
    own_easy_percentile: float = 40.0  # a run's own easy effort: this percentile of ...
    own_easy_window_s: float = 30.0  # ... the half-minute mean effort while running, so
    own_easy_min_s: float = 300.0  # warm-up and jogs set it, not reps; needs 5 min running
    easy_history_min_runs: int = 3  # easy_speed_from_history needs this many runs
    easy_history_runs: int = 20  # the athlete's easy effort: median over the last 20 runs

    # --- reps ---------------------------------------------------------------------------------
    rep_enter_ratio: float = 1.09  # effort speed / easy speed to start a fast segment
    rep_exit_ratio: float = 1.04  # ... and to end it (hysteresis against noise)
    rep_merge_gap_s: float = 10.0  # fast segments split by a shorter dip are one rep
    long_smooth_s: float = 25.0  # efforts of >= long_seg_min_s are found on a 25 s mean
    long_seg_min_s: float = 45.0
    rep_min_s: float = 10.0  # shorter is noise (a 100 m sprint lasts 14-18 s)
    rep_max_s: float = 1200.0  # longer is a tempo / progression block, not a rep
    surge_split_min_s: float = 240.0  # a fast stretch this long may be surges up a climb
    # A rep must be faster than easy pace by a ratio that falls with its duration (log scale),
    # because GPS noise averages out over longer reps: 10 s -> short_rep_ratio,
    # >= long_rep_s -> long_rep_ratio (6 x 3 min at ~15 % faster than the warm-up).
    short_rep_s: float = 60.0  # reps up to this long are "short" (restarts, strides)
    short_rep_ratio: float = 1.5
    long_rep_s: float = 150.0
    long_rep_ratio: float = 1.10
    recovery_contrast: float = 1.18  # a rep must be this much faster than its recoveries
    max_recovery_s: float = 420.0  # a longer slow stretch ends a set (7 min) ...
    set_gap_rep_factor: float = 1.5  # ... unless shorter than this x the reps either side
    restart_ratio: float = 1.45  # after a stand-still, a short surge slower than this is a
    restart_lookback_s: float = 30.0  # restart (traffic): standing >= restart_min_stand_s in
    restart_min_stand_s: float = 8.0  # the 30 s before it. Not on a treadmill: no traffic.
    stride_max_m: float = 130.0  # strides: 50-100 m (GPS adds some)
    stride_max_s: float = 30.0
    max_strides: int = 6  # 3-6 strides end an easy run; more short efforts are a session
    leading_stride_ratio: float = 0.3  # leading reps this much shorter than the set: strides
    leading_stride_slow: float = 0.88  # ... or up to 0.65 as long and this much slower
    leading_stride_len: float = 0.65
    regular_spread: float = 2.0  # "regular": within [1/2, 2] x the median ...
    recovery_regular_share: float = 0.7  # ... for this share of a set's recoveries:
    # sessions have regular recoveries, stop-and-go trail running does not
    long_run_regular_spread: float = 1.6  # over long_run_minutes, recoveries and reps both
    long_run_regular_share: float = 0.75  # this regular, else the run is long
    stand_recovery_share: float = 0.5  # more standing recoveries than this, with short reps
    # slower than restart_ratio: stop-and-go (crossings), not a session. Not on a treadmill.
    rep_effort_tolerance: float = 0.2  # reps of a session are run at a similar effort:
    rep_effort_share: float = 0.6  # this share within +-20 % of the median rep effort
    min_work_fraction: float = 0.03  # reps must be at least this share of moving time

    # --- laps -------------------------------------------------------------------------------
    auto_lap_share: float = 0.8  # this share of laps the same distance (+-3 %): auto-lap
    lap_contrast: float = 1.15  # fast laps this much faster than the laps between them

    # --- hills --------------------------------------------------------------------------------
    hill_grade_pct: float = 3.0  # a hill rep climbs at least this mean grade (%)
    hill_min_climb_m: float = 5.0  # ... and at least this many metres
    hill_share: float = 0.6  # this share of the reps must be uphill

    # --- heart rate ---------------------------------------------------------------------------
    hr_min: float = 35.0  # bpm; outside [hr_min, hr_max] is a sensor error
    hr_max: float = 230.0
    hr_cadence_lock_bpm: float = 4.0  # optical HR within this of the step rate ...
    hr_cadence_lock_share: float = 0.6  # ... this share of the time has locked onto cadence
    half_cadence_below: float = 125.0  # run cadence below this is per foot: double it

    # --- confidence ---------------------------------------------------------------------------
    manual_confidence: float = 0.55  # a label from summary/name only
    weak_confidence: float = 0.4  # a label from a default (nothing said otherwise)
