"""Map each file format's sport names onto Strava's `sport_type` vocabulary.

Every later stage (classification, plans) speaks Strava's names only, so the mapping lives here,
once. Functions return `None` when the file does not say (or says "other"), so the caller can fall
back to a Strava export's hint before settling on "Workout".
"""

from __future__ import annotations

DEFAULT_SPORT = "Workout"

# FIT `sport` enum names (fitdecode spelling) -> Strava sport_type.
_FIT_SPORTS: dict[str, str] = {
    "running": "Run",
    "cycling": "Ride",
    "swimming": "Swim",
    "walking": "Walk",
    "hiking": "Hike",
    "e_biking": "EBikeRide",
    "cross_country_skiing": "NordicSki",
    "alpine_skiing": "AlpineSki",
    "snowboarding": "Snowboard",
    "rowing": "Rowing",
    "paddling": "Canoeing",
    "kayaking": "Kayaking",
    "stand_up_paddleboarding": "StandUpPaddling",
    "surfing": "Surfing",
    "rock_climbing": "RockClimbing",
    "inline_skating": "InlineSkate",
    "ice_skating": "IceSkate",
    "snowshoeing": "Snowshoe",
    "fitness_equipment": "Workout",
    "training": "Workout",
    "generic": "Workout",
}

# (sport, sub_sport) pairs that change the type or mark the activity as indoor.
_FIT_SUB: dict[tuple[str, str], tuple[str, bool]] = {
    ("running", "trail"): ("TrailRun", False),
    ("running", "treadmill"): ("Run", True),
    ("running", "indoor_running"): ("Run", True),
    ("running", "virtual_activity"): ("VirtualRun", False),
    ("cycling", "indoor_cycling"): ("Ride", True),
    ("cycling", "spin"): ("Ride", True),
    ("cycling", "virtual_activity"): ("VirtualRide", False),
    ("cycling", "mountain"): ("MountainBikeRide", False),
    ("cycling", "gravel_cycling"): ("GravelRide", False),
    ("cycling", "e_bike_mountain"): ("EMountainBikeRide", False),
    ("fitness_equipment", "elliptical"): ("Elliptical", True),
    ("fitness_equipment", "stair_climbing"): ("StairStepper", True),
    ("fitness_equipment", "indoor_rowing"): ("Rowing", True),
    ("fitness_equipment", "treadmill"): ("Run", True),
    ("training", "strength_training"): ("WeightTraining", False),
    ("training", "yoga"): ("Yoga", False),
    ("walking", "indoor_walking"): ("Walk", True),
}

_TCX_SPORTS = {"running": "Run", "biking": "Ride"}

# GPX <type>: Garmin writes names ("running"), Strava's exports write names or its old numeric
# codes ("9" is a run, "1" a ride).
_GPX_TYPES: dict[str, str] = {
    "running": "Run",
    "run": "Run",
    "9": "Run",
    "trail_running": "TrailRun",
    "trailrun": "TrailRun",
    "treadmill_running": "Run",
    "virtualrun": "VirtualRun",
    "53": "VirtualRun",
    "cycling": "Ride",
    "biking": "Ride",
    "ride": "Ride",
    "road_biking": "Ride",
    "1": "Ride",
    "mountain_biking": "MountainBikeRide",
    "virtualride": "VirtualRide",
    "17": "VirtualRide",
    "walking": "Walk",
    "walk": "Walk",
    "10": "Walk",
    "hiking": "Hike",
    "hike": "Hike",
    "4": "Hike",
    "swimming": "Swim",
    "swim": "Swim",
    "open_water_swimming": "Swim",
    "16": "Swim",
    "nordicski": "NordicSki",
    "cross_country_skiing": "NordicSki",
    "7": "NordicSki",
    "alpineski": "AlpineSki",
    "2": "AlpineSki",
    "workout": "Workout",
    "11": "Workout",
}

# Last resort for a GPX without <type>: apps name tracks "Morning Run", "Evening Ride".
_NAME_WORDS = (
    ("run", "Run"),
    ("ride", "Ride"),
    ("walk", "Walk"),
    ("hike", "Hike"),
    ("swim", "Swim"),
)


def fit_sport(sport: object, sub_sport: object) -> tuple[str | None, bool]:
    """Strava sport_type and trainer flag for a FIT session's sport/sub_sport enums."""
    if not isinstance(sport, str):
        return None, False  # missing or an enum value this profile does not know
    sub = sub_sport if isinstance(sub_sport, str) else "generic"
    if (sport, sub) in _FIT_SUB:
        return _FIT_SUB[(sport, sub)]
    trainer = sub in {"treadmill", "indoor_cycling", "indoor_running", "spin", "indoor_rowing"}
    return _FIT_SPORTS.get(sport), trainer


def tcx_sport(sport: str | None) -> str | None:
    """TCX `Activity/@Sport` is one of Running, Biking, Other."""
    if not sport:
        return None
    return _TCX_SPORTS.get(sport.strip().lower())


def gpx_sport(gpx_type: str | None, name: str | None = None) -> str | None:
    """GPX `<trk><type>`, else a sport word in the track name."""
    if gpx_type:
        key = gpx_type.strip().lower().replace(" ", "").replace("-", "_")
        if key in _GPX_TYPES:
            return _GPX_TYPES[key]
    if name:
        words = name.lower().split()
        for word, sport in _NAME_WORDS:
            if word in words:
                return sport
    return None


def strava_export_sport(activity_type: str | None) -> str | None:
    """A Strava export's "Activity Type" ("Run", "Virtual Ride", "E-Bike Ride") as a sport_type."""
    if not activity_type or not activity_type.strip():
        return None
    return activity_type.strip().replace(" ", "").replace("-", "")
