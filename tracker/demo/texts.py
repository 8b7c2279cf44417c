"""Word lists the generator composes realistic action and progress texts from (French, as coordinators write)."""

ACTION_VERBS = [
    "Organiser",
    "Lancer",
    "Préparer",
    "Mettre en place",
    "Cartographier",
    "Évaluer",
    "Co-construire",
    "Accompagner",
    "Financer",
    "Piloter",
    "Documenter",
    "Animer",
]

ACTION_OBJECTS = {
    "ECO-PROD": [
        "un programme d’échange de compétences industrielles",
        "un appel à projets d’innovation commun",
        "une mission d’entreprises innovantes",
        "un réseau de pôles de compétitivité",
    ],
    "ECO-DEV": [
        "un guichet d’accueil des entreprises bruxelloises",
        "une mission économique croisée",
        "une campagne d’attractivité commune",
        "un salon des entreprises franciliennes à Bruxelles",
    ],
    "URBAN": [
        "un atelier sur l’espace public",
        "un échange sur les villes intelligentes",
        "une étude comparée d’aménagement urbain",
        "un démonstrateur de mobilier urbain connecté",
    ],
    "ENV": [
        "un partage d’expériences sur l’économie circulaire",
        "un groupe de travail sur les ressources en eau",
        "un inventaire des friches à dépolluer",
        "un guide commun du réemploi",
    ],
    "HIGHER-ED": [
        "un programme de mobilité étudiante",
        "une chaire universitaire commune",
        "un forum des universités",
        "des doubles diplômes",
    ],
    "YOUTH": [
        "des échanges de jeunes",
        "un festival jeunesse",
        "un parlement des jeunes commun",
        "des camps de volontaires",
    ],
    "EQUAL": [
        "une campagne pour l’égalité femmes-hommes",
        "un référentiel d’accessibilité",
        "un séminaire sur les droits des minorités",
        "un réseau d’entreprises inclusives",
    ],
    "CULTURE": [
        "une semaine des gastronomies bruxelloise et francilienne",
        "un inventaire du patrimoine commun",
        "une exposition croisée",
        "des résidences d’artistes",
    ],
    "CLIMATE": [
        "un plaidoyer commun auprès des bailleurs internationaux",
        "un partage d’expertise climat",
        "un fonds de projets verts",
        "une conférence avec les partenaires du sud et du nord",
    ],
}

MILESTONE_TITLES = [
    "Note de cadrage validée",
    "Comité de pilotage",
    "Lancement public",
    "Premier bilan",
    "Rapport final",
    "Convention signée",
    "Atelier de travail",
    "Restitution",
    "Publication des résultats",
    "Évaluation",
]

PROGRESS_TEXTS = [
    "Réunion de travail tenue avec les deux régions ; prochaines étapes fixées.",
    "Les partenaires ont validé le calendrier ; le budget est en cours d’arbitrage.",
    "Retard lié à la disponibilité des intervenants ; un nouveau créneau est proposé.",
    "Premiers résultats encourageants, à consolider au prochain trimestre.",
    "Comité de pilotage tenu ; les décisions sont consignées dans le compte rendu.",
    "Difficultés de financement ; une solution est recherchée avec les services.",
    "Action présentée aux élus des deux régions, accueil favorable.",
    "Les livrables sont en relecture croisée entre Paris et Bruxelles.",
]

# Outcomes recorded on completion, short as an owner types them (the « résultat » of the report).
OUTCOMES = [
    "Livrables remis et validés par les deux régions ; compte rendu diffusé aux services.",
    "Objectif atteint : 42 participants, dont la moitié venus de Bruxelles.",
    "Réalisé avec un trimestre de retard ; le bilan est publié sur les sites des deux régions.",
    "Partiellement atteint : le volet bruxellois est reporté faute de cofinancement.",
    "Convention signée ; la suite est reprise dans le plan de travail de l’année suivante.",
    "Atteint : trois partenaires associés et une note de recommandations adoptée.",
]

FIRST_NAMES = {
    "IDF": [
        "Camille",
        "Julien",
        "Sophie",
        "Nicolas",
        "Claire",
        "Thomas",
        "Inès",
        "Hugo",
        "Léa",
        "Karim",
        "Manon",
        "Antoine",
        "Chloé",
        "Mehdi",
        "Élodie",
        "Paul",
        "Sarah",
        "Lucas",
        "Amandine",
        "Yanis",
    ],
    "BXL": [
        "Lotte",
        "Marc",
        "An",
        "Pieter",
        "Nadia",
        "Wouter",
        "Sofie",
        "Mohamed",
        "Els",
        "Jan",
        "Fatima",
        "Bram",
        "Céline",
        "Koen",
        "Leen",
        "Youssef",
        "Hanne",
        "Arnaud",
        "Griet",
        "Tom",
    ],
}
LAST_NAMES = {
    "IDF": ["Martin", "Bernard", "Leroy", "Moreau", "Laurent", "Girard", "Roux", "Fournier", "Mercier", "Blanc"],
    "BXL": ["Peeters", "Janssens", "Maes", "Dubois", "Claes", "Lambert", "Wouters", "Goossens", "Willems", "Dupont"],
}

# Job titles of the generated people, by party and role (the named demo accounts have their own).
FUNCTIONS = {
    "IDF": {
        "admin": "Administrateur fonctionnel",
        "reviewer": "Chef du service de la coopération internationale",
        "coordinator": "Chargé de mission coopération",
    },
    "BXL": {
        "admin": "Functioneel beheerder",
        "reviewer": "Directeur, Brussels International",
        "coordinator": "Attaché, Brussels International",
    },
}
