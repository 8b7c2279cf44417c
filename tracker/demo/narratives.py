"""Demo texts of the final report: each workstream's assessment by its co-leads and the executive summary by the
administrators, in French and in Dutch, as the civil servants of both regions would write them. One assessment
(CLIMATE) has no Dutch yet, so that the report shows its « texte non traduit » marker."""

# The workstream whose Dutch text is left unwritten in the demo.
UNTRANSLATED = "CLIMATE"

SUMMARY = {
    "fr": (
        "Cinq ans après sa signature le 23 septembre 2021, l’accord de coopération entre la Région Île-de-France "
        "et la Région de Bruxelles-Capitale arrive à son terme. Les deux administrations ont fait vivre ses neuf "
        "chantiers au travers d’actions conduites en commun, suivies trimestre après trimestre par les copilotes "
        "de chaque région.\n\n"
        "Les résultats les plus tangibles concernent le développement économique et l’enseignement supérieur : "
        "missions économiques croisées, accueil des entreprises de part et d’autre, mobilité étudiante et forum "
        "des universités sont désormais des rendez-vous installés. La coopération sur l’espace public et "
        "l’environnement a produit des études comparées et un guide commun du réemploi, utilisés par les "
        "services des deux régions.\n\n"
        "Certaines actions n’ont pas abouti. La crise sanitaire a décalé les premiers échanges de jeunes, et les "
        "contraintes budgétaires de 2024 ont conduit à abandonner le fonds de projets verts au profit d’un "
        "plaidoyer commun auprès des bailleurs internationaux. Chaque section détaille ces décisions.\n\n"
        "Les deux régions recommandent de renouveler l’accord en resserrant ses priorités sur l’économie, "
        "le climat et la jeunesse, et en reportant dans le nouvel accord les actions encore en cours."
    ),
    "nl": (
        "Vijf jaar na de ondertekening op 23 september 2021 loopt de samenwerkingsovereenkomst tussen de Regio "
        "Île-de-France en het Brussels Hoofdstedelijk Gewest af. Beide administraties hebben de negen werksporen "
        "ingevuld met gezamenlijke acties, die elk kwartaal door de co-leiders van beide gewesten werden "
        "opgevolgd.\n\n"
        "De meest tastbare resultaten liggen in de economische ontwikkeling en het hoger onderwijs: "
        "wederzijdse economische missies, onthaal van bedrijven aan beide kanten, studentenmobiliteit en een "
        "universiteitsforum zijn intussen vaste afspraken. De samenwerking rond openbare ruimte en leefmilieu "
        "leverde vergelijkende studies en een gemeenschappelijke gids voor hergebruik op, die de diensten van "
        "beide gewesten gebruiken.\n\n"
        "Niet alle acties werden afgerond. De gezondheidscrisis stelde de eerste jongerenuitwisselingen uit, en "
        "door de budgettaire beperkingen van 2024 werd het fonds voor groene projecten opgegeven ten voordele "
        "van een gezamenlijke pleitbezorging bij de internationale geldschieters. Elk hoofdstuk licht die "
        "beslissingen toe.\n\n"
        "Beide gewesten bevelen aan de overeenkomst te vernieuwen met scherpere prioriteiten rond economie, "
        "klimaat en jeugd, en de lopende acties in de nieuwe overeenkomst over te nemen."
    ),
}

WORKSTREAMS = {
    "ECO-PROD": {
        "fr": (
            "Le programme d’échange de compétences industrielles a permis à une trentaine de techniciens "
            "franciliens et bruxellois de passer une semaine dans une entreprise de l’autre région. L’appel à "
            "projets d’innovation commun, lancé en 2023, a soutenu six consortiums mixtes.\n\n"
            "Le réseau de pôles de compétitivité n’a pas trouvé son format : les pôles bruxellois, plus petits, "
            "n’ont pas pu dégager de temps pour des réunions régulières. Nous proposons de le remplacer par une "
            "rencontre annuelle adossée à un salon existant."
        ),
        "nl": (
            "Dankzij het uitwisselingsprogramma voor industriële vaardigheden konden een dertigtal technici uit "
            "Île-de-France en Brussel een week meedraaien in een bedrijf van het andere gewest. De gezamenlijke "
            "innovatieoproep van 2023 ondersteunde zes gemengde consortia.\n\n"
            "Het netwerk van competitiviteitspolen vond zijn vorm niet: de kleinere Brusselse clusters konden "
            "geen tijd vrijmaken voor regelmatige vergaderingen. Wij stellen voor het te vervangen door een "
            "jaarlijkse ontmoeting tijdens een bestaande beurs."
        ),
    },
    "ECO-DEV": {
        "fr": (
            "Le guichet d’accueil des entreprises bruxelloises, ouvert avec l’agence régionale d’attractivité, a "
            "accompagné plus de quatre-vingts entreprises dans leur implantation en Île-de-France. Trois "
            "missions économiques croisées ont eu lieu, dont une consacrée à la construction durable.\n\n"
            "La campagne d’attractivité commune a été réduite à un volet numérique, faute d’entente sur le "
            "partage de son coût. Le salon des entreprises franciliennes à Bruxelles reste à organiser : il "
            "devrait figurer dans le prochain accord."
        ),
        "nl": (
            "Het onthaalloket voor Brusselse bedrijven, samen met het regionale attractiviteitsagentschap opgezet, begeleidde meer "
            "dan tachtig bedrijven bij hun vestiging in Île-de-France. Er vonden drie wederzijdse economische "
            "missies plaats, waarvan één over duurzaam bouwen.\n\n"
            "De gezamenlijke promotiecampagne werd beperkt tot een digitaal luik, omdat de gewesten het niet eens "
            "raakten over de verdeling van de kosten. De beurs van bedrijven uit Île-de-France in Brussel moet nog "
            "worden georganiseerd: ze hoort thuis in de volgende overeenkomst."
        ),
    },
    "URBAN": {
        "fr": (
            "Les ateliers sur l’espace public ont réuni les services d’urbanisme des deux régions autour de la "
            "piétonnisation des centres et de l’aménagement des berges. L’étude comparée d’aménagement urbain, "
            "publiée en 2025, sert désormais de référence aux deux administrations.\n\n"
            "Le démonstrateur de mobilier urbain connecté a été abandonné : les questions de protection des "
            "données personnelles n’ont pas pu être levées dans les délais. L’échange sur les villes "
            "intelligentes se poursuivra sous la forme d’un groupe de travail."
        ),
        "nl": (
            "De workshops over de openbare ruimte brachten de stedenbouwkundige diensten van beide gewesten "
            "samen rond autovrije centra en de inrichting van de oevers. De vergelijkende studie over "
            "stedenbouw, verschenen in 2025, geldt nu als referentie voor beide administraties.\n\n"
            "Het proefproject met verbonden straatmeubilair werd stopgezet: de vragen rond de bescherming van "
            "persoonsgegevens raakten niet tijdig opgelost. De uitwisseling over slimme steden loopt verder in "
            "een werkgroep."
        ),
    },
    "ENV": {
        "fr": (
            "Le groupe de travail sur les ressources en eau a partagé les méthodes de gestion des eaux pluviales "
            "et le guide commun du réemploi a été diffusé aux maîtres d’ouvrage publics des deux régions.\n\n"
            "L’inventaire des friches à dépolluer n’est que partiellement réalisé : les données bruxelloises "
            "sont complètes, celles d’Île-de-France couvrent la petite couronne. Il sera achevé dans le cadre "
            "du prochain accord."
        ),
        "nl": (
            "De werkgroep waterbeheer wisselde methodes uit voor het beheer van regenwater, en de gezamenlijke "
            "gids voor hergebruik werd verspreid onder de publieke bouwheren van beide gewesten.\n\n"
            "De inventaris van te saneren braakliggende terreinen is slechts gedeeltelijk klaar: de Brusselse "
            "gegevens zijn volledig, die van Île-de-France dekken de eerste ring rond Parijs. De inventaris "
            "wordt in de volgende overeenkomst afgewerkt."
        ),
    },
    "HIGHER-ED": {
        "fr": (
            "Le programme de mobilité étudiante a concerné près de quatre cents étudiants sur la durée de "
            "l’accord, et le forum des universités s’est tenu chaque année, alternativement à Paris et à "
            "Bruxelles.\n\n"
            "La chaire universitaire commune n’a pas vu le jour, faute de financement pérenne. Deux doubles "
            "diplômes sont en cours d’accréditation et seront suivis dans le prochain accord."
        ),
        "nl": (
            "Het programma voor studentenmobiliteit bereikte bijna vierhonderd studenten tijdens de looptijd "
            "van de overeenkomst, en het universiteitsforum vond elk jaar plaats, afwisselend in Parijs en "
            "Brussel.\n\n"
            "De gezamenlijke leerstoel kwam er niet, bij gebrek aan duurzame financiering. Twee dubbele "
            "diploma’s worden momenteel geaccrediteerd en worden in de volgende overeenkomst opgevolgd."
        ),
    },
    "YOUTH": {
        "fr": (
            "Après un démarrage retardé par la crise sanitaire, les échanges de jeunes ont repris en 2023 et le "
            "festival jeunesse a accueilli deux éditions. Les camps de volontaires ont mobilisé des jeunes "
            "des quartiers prioritaires des deux régions.\n\n"
            "Le parlement des jeunes commun n’a siégé qu’une fois : son rythme sera revu avec les conseils de "
            "jeunes existants."
        ),
        "nl": (
            "Na een door de gezondheidscrisis vertraagde start werden de jongerenuitwisselingen in 2023 hervat, "
            "en het jeugdfestival kende twee edities. Aan de vrijwilligerswerven namen jongeren uit de "
            "prioritaire wijken van beide gewesten deel.\n\n"
            "Het gezamenlijke jongerenparlement kwam maar één keer samen: het ritme wordt herbekeken met de "
            "bestaande jeugdraden."
        ),
    },
    "EQUAL": {
        "fr": (
            "La campagne pour l’égalité femmes-hommes a été menée en 2024 dans les transports des deux "
            "capitales. Le référentiel d’accessibilité commun est adopté et s’applique aux événements organisés "
            "au titre de l’accord.\n\n"
            "Le réseau d’entreprises inclusives reste modeste, avec une quinzaine de membres ; il sera élargi "
            "en lien avec les chambres de commerce."
        ),
        "nl": (
            "De campagne voor gelijkheid tussen vrouwen en mannen liep in 2024 in het openbaar vervoer van "
            "beide hoofdsteden. Het gezamenlijke toegankelijkheidsreferentiekader is goedgekeurd en geldt voor "
            "alle evenementen die in het kader van de overeenkomst worden georganiseerd.\n\n"
            "Het netwerk van inclusieve ondernemingen blijft bescheiden, met een vijftiental leden; het wordt "
            "samen met de kamers van koophandel uitgebreid."
        ),
    },
    "CULTURE": {
        "fr": (
            "La semaine des gastronomies bruxelloise et francilienne a connu trois éditions et associé les "
            "écoles hôtelières des deux régions. L’exposition croisée sur le patrimoine Art nouveau a circulé "
            "de Bruxelles à Paris en 2025.\n\n"
            "Les résidences d’artistes n’ont pu être ouvertes qu’en sens unique, de Bruxelles vers "
            "l’Île-de-France ; la réciprocité est à organiser."
        ),
        "nl": (
            "De week van de Brusselse en Franse streekgastronomie kende drie edities, samen met de hotelscholen "
            "van beide gewesten. De gezamenlijke tentoonstelling over het art-nouveauerfgoed reisde in 2025 "
            "van Brussel naar Parijs.\n\n"
            "De kunstenaarsresidenties konden enkel in één richting worden geopend, van Brussel naar "
            "Île-de-France; de wederkerigheid moet nog worden georganiseerd."
        ),
    },
    UNTRANSLATED: {
        "fr": (
            "Depuis la déclaration du 30 novembre 2022, les deux régions ont partagé leur expertise sur "
            "l’adaptation au changement climatique et porté un plaidoyer commun auprès de la Banque européenne "
            "d’investissement pour faciliter l’accès des collectivités aux financements verts.\n\n"
            "Le fonds de projets verts a été abandonné en 2024 : les deux budgets ne permettaient pas de le "
            "doter. La conférence avec les partenaires du sud et du nord est reportée au premier semestre 2027."
        ),
    },
}
