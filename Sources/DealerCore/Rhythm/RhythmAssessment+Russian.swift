import Foundation

extension RhythmAssessment {
    /// Why the status is what it is, as the dealer card says it: the same reasons as `explanation`
    /// (which the API keeps in English for integrators), read back from the assessment's own figures
    /// and the settings it was made with.
    public func russianExplanation(settings: RhythmSettings) -> String {
        guard let expected = expectedInterval else {
            return "Для ритма нужно "
                + RussianText.plural(settings.minIntervals, "интервал", "интервала", "интервалов")
                + " между отгрузками, пока \(recentIntervals.count)."
        }
        guard let since = daysSinceLast else { return "Отгрузок ещё не было." }
        let sinceText = "С последней отгрузки прошло " + RussianText.days(since)
        switch status {
        case .broken where since * 100 <= expected * (100 + settings.lateTolerancePercent):
            return "В прошлом месяце был план, а отгрузок с его начала не было."
        case .broken:
            return sinceText + " — больше чем \(settings.brokenFactor) × " + RussianText.days(expected) + "."
        case .late:
            return sinceText + " — больше обычного интервала " + RussianText.days(expected) + " с допуском \(settings.lateTolerancePercent) %."
        case .onRhythm, .learning:
            return sinceText + ", обычно отгружается раз в " + RussianText.days(expected) + "."
        }
    }
}
