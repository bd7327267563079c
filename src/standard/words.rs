//! The standard page's words in both languages. They live in the page's own wasm part, not in the
//! app's locale tables, which every first visit downloads (issue 16); an exhaustive match, so a
//! missing translation does not compile, as build.rs sees to for the locale files.

use spor_core::{Language, Texts};

use crate::i18n::fill;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Say {
    AdoptHeading,
    AdoptExplain,
    ChoosePackage,
    PackageSummary,
    ChooseActivity,
    ChangesSince,
    NoChanges,
    OutcomeAdded,
    OutcomeReworded,
    OutcomeRemoved,
    IndicatorAdded,
    IndicatorChanged,
    IndicatorRemoved,
    SurveyAdded,
    SurveyRevised,
    ReportChanged,
    Adopt,
    Update,
    Adopted,
    Following,
    FiguresHeading,
    FiguresExplain,
    NoStandard,
    MemberName,
    DownloadFigures,
    FiguresSaved,
    PublishHeading,
    PublishExplain,
    PackageName,
    Publisher,
    Version,
    ReportSections,
    DownloadPackage,
    PackageSaved,
    NoTheoryToPublish,
    CompareHeading,
    CompareExplain,
    ChooseFigureFiles,
    StartOver,
    Indicator,
    Total,
    Hidden,
    OverMembers,
    HiddenNote,
    ComparePeriod,
    DownloadFailed,
}

impl Say {
    pub fn text(self, language: Language) -> &'static str {
        use Language::{Da, En};
        match (self, language) {
            (Say::AdoptHeading, Da) => "Følg en fælles standard",
            (Say::AdoptHeading, En) => "Follow a shared standard",
            (Say::AdoptExplain, Da) => {
                "En paraply – fx FriSe, en landsforening eller kommunen – kan udgive en standardpakke: en forandringsteori med fælles forandringer og indikatorer, spørgeskemaer og rapportens afsnit. De fælles dele er låst hos jer; I tilføjer jeres egne ved siden af."
            }
            (Say::AdoptExplain, En) => {
                "An umbrella – FriSe, a national association or the municipality – can publish a standard package: a theory of change with shared outcomes and indicators, surveys and the report's sections. The shared parts are locked here; you add your own beside them."
            }
            (Say::ChoosePackage, Da) => "Vælg en pakkefil",
            (Say::ChoosePackage, En) => "Choose a package file",
            (Say::PackageSummary, Da) => {
                "{name}, version {version}, udgivet af {publisher}: {outcomes} fælles forandringer, {indicators} indikatorer og {surveys} spørgeskemaer."
            }
            (Say::PackageSummary, En) => {
                "{name}, version {version}, published by {publisher}: {outcomes} shared outcomes, {indicators} indicators and {surveys} surveys."
            }
            (Say::ChooseActivity, Da) => "Vælg den aktivitet, standarden skal gælde for.",
            (Say::ChooseActivity, En) => "Choose the activity the standard is for.",
            (Say::ChangesSince, Da) => "Ændret siden version {version}, som I følger nu:",
            (Say::ChangesSince, En) => "Changed since version {version}, which you follow now:",
            (Say::NoChanges, Da) => "Ingen ændringer i de fælles dele.",
            (Say::NoChanges, En) => "No changes in the shared parts.",
            (Say::OutcomeAdded, Da) => "Ny fælles forandring: {text}",
            (Say::OutcomeAdded, En) => "New shared outcome: {text}",
            (Say::OutcomeReworded, Da) => "Forandring omformuleret: »{from}« bliver »{to}«",
            (Say::OutcomeReworded, En) => "Outcome reworded: “{from}” becomes “{to}”",
            (Say::OutcomeRemoved, Da) => "Ikke længere en fælles forandring: {text}",
            (Say::OutcomeRemoved, En) => "No longer a shared outcome: {text}",
            (Say::IndicatorAdded, Da) => "Ny indikator: {metric}",
            (Say::IndicatorAdded, En) => "New indicator: {metric}",
            (Say::IndicatorChanged, Da) => "Indikator ændret: {metric}",
            (Say::IndicatorChanged, En) => "Indicator changed: {metric}",
            (Say::IndicatorRemoved, Da) => "Ikke længere fælles, I beholder den som jeres egen: {metric}",
            (Say::IndicatorRemoved, En) => "No longer shared, you keep it as your own: {metric}",
            (Say::SurveyAdded, Da) => "Nyt spørgeskema: {name}",
            (Say::SurveyAdded, En) => "New survey: {name}",
            (Say::SurveyRevised, Da) => "Spørgeskema i version {version}: {name}",
            (Say::SurveyRevised, En) => "Survey in version {version}: {name}",
            (Say::ReportChanged, Da) => "Rapportens afsnit er ændret.",
            (Say::ReportChanged, En) => "The report's sections have changed.",
            (Say::Adopt, Da) => "Følg standarden",
            (Say::Adopt, En) => "Follow the standard",
            (Say::Update, Da) => "Opdatér til version {version}",
            (Say::Update, En) => "Update to version {version}",
            (Say::Adopted, Da) => "{activity} følger nu {name}, version {version}.",
            (Say::Adopted, En) => "{activity} now follows {name}, version {version}.",
            (Say::Following, Da) => "{activity} følger {name}, version {version}, fra {publisher}.",
            (Say::Following, En) => "{activity} follows {name}, version {version}, from {publisher}.",
            (Say::FiguresHeading, Da) => "Tal til paraplyen",
            (Say::FiguresHeading, En) => "Figures for the umbrella",
            (Say::FiguresExplain, Da) => {
                "Kun de fælles indikatorers tal for perioden, uden kaldenavne eller id'er. Spørgeskematal fra færre end {threshold} personer er skjult allerede i filen."
            }
            (Say::FiguresExplain, En) => {
                "Only the shared indicators' figures for the period, without nicknames or ids. Survey figures from fewer than {threshold} people are hidden in the file already."
            }
            (Say::NoStandard, Da) => "Ingen aktivitet følger en fælles standard endnu.",
            (Say::NoStandard, En) => "No activity follows a shared standard yet.",
            (Say::MemberName, Da) => "Jeres navn, som paraplyen skal se det",
            (Say::MemberName, En) => "Your name, as the umbrella should see it",
            (Say::DownloadFigures, Da) => "Hent tal-filen",
            (Say::DownloadFigures, En) => "Download the figures file",
            (Say::FiguresSaved, Da) => "Tal-filen {file} er hentet.",
            (Say::FiguresSaved, En) => "The figures file {file} was downloaded.",
            (Say::PublishHeading, Da) => "Udgiv en standardpakke",
            (Say::PublishHeading, En) => "Publish a standard package",
            (Say::PublishExplain, Da) => {
                "For paraplyer: forandringsteorien for den valgte aktivitet og dens indikatorer bliver pakkens fælles kerne, med de egne spørgeskemaer, aktiviteten bruger."
            }
            (Say::PublishExplain, En) => {
                "For umbrellas: the chosen activity's theory of change and its indicators become the package's shared core, with the own surveys the activity uses."
            }
            (Say::PackageName, Da) => "Pakkens navn",
            (Say::PackageName, En) => "The package's name",
            (Say::Publisher, Da) => "Udgiver",
            (Say::Publisher, En) => "Publisher",
            (Say::Version, Da) => "Version",
            (Say::Version, En) => "Version",
            (Say::ReportSections, Da) => "Statusrapportens afsnit, som paraplyen beder om",
            (Say::ReportSections, En) => "The status report's sections the umbrella asks for",
            (Say::DownloadPackage, Da) => "Hent pakkefilen",
            (Say::DownloadPackage, En) => "Download the package file",
            (Say::PackageSaved, Da) => "Pakkefilen {file} er hentet.",
            (Say::PackageSaved, En) => "The package file {file} was downloaded.",
            (Say::NoTheoryToPublish, Da) => "Aktiviteten har ingen forandringsteori at udgive endnu.",
            (Say::NoTheoryToPublish, En) => "The activity has no theory of change to publish yet.",
            (Say::CompareHeading, Da) => "Sammenlign medlemmerne",
            (Say::CompareHeading, En) => "Compare the members",
            (Say::CompareExplain, Da) => {
                "For paraplyer: vælg medlemmernes tal-filer. Hvert medlems tal står side om side med totalen. Små tal om personer skjules, og så mange flere, at intet skjult tal kan regnes ud af totalen."
            }
            (Say::CompareExplain, En) => {
                "For umbrellas: choose the members' figures files. Each member's figures stand side by side with the total. Small counts of people are hidden, and as many more as it takes that no hidden figure can be worked out from the total."
            }
            (Say::ChooseFigureFiles, Da) => "Vælg tal-filer",
            (Say::ChooseFigureFiles, En) => "Choose figures files",
            (Say::StartOver, Da) => "Start forfra",
            (Say::StartOver, En) => "Start over",
            (Say::Indicator, Da) => "Indikator",
            (Say::Indicator, En) => "Indicator",
            (Say::Total, Da) => "I alt",
            (Say::Total, En) => "Total",
            (Say::Hidden, Da) => "skjult",
            (Say::Hidden, En) => "hidden",
            (Say::OverMembers, Da) => "(de {count} viste)",
            (Say::OverMembers, En) => "(the {count} shown)",
            (Say::HiddenNote, Da) => {
                "Skjult: færre end {threshold} personer, eller skjult sammen med et sådant tal, så det ikke kan regnes ud af totalen. Gennemsnit og andele i alt er over de viste medlemmer."
            }
            (Say::HiddenNote, En) => {
                "Hidden: fewer than {threshold} people, or hidden with such a figure so that it cannot be worked out from the total. Means and shares in total are over the members shown."
            }
            (Say::ComparePeriod, Da) => "{package}, {from} – {to}",
            (Say::ComparePeriod, En) => "{package}, {from} – {to}",
            (Say::DownloadFailed, Da) => "Filen kunne ikke hentes: {detail}",
            (Say::DownloadFailed, En) => "The file could not be downloaded: {detail}",
        }
    }

    /// The text in both languages with its `{placeholders}` filled in: what a message keeps, so it
    /// reads in whichever language is on screen when it is shown.
    pub fn with(self, values: &[(&str, &str)]) -> Texts {
        Texts::new(
            fill(self.text(Language::Da), values),
            fill(self.text(Language::En), values),
        )
    }
}

/// What an action on the page ended in, in both languages.
pub type Said = Result<Texts, Texts>;

/// Both languages' words for what went wrong, from a message made in one language at a time.
pub fn failed(message: impl Fn(Language) -> String) -> Texts {
    Texts::new(message(Language::Da), message(Language::En))
}
