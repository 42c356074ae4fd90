/// Property names as JSON keys: `dealerID` → `dealer_id`, `occurredAt` → `occurred_at`. A name that
/// is snake_case already (an explicit coding key) stays as it is, so types with their own keys and
/// types without meet in one convention.
public enum SnakeCase {
    public static func key(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        result.reserveCapacity(characters.count + 4)
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                // A word starts at an upper-case letter after a lower-case one or a digit (`dealerID`),
                // and at the last capital of a run that a lower-case letter follows (`URLPath`).
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    result.append("_")
                }
            }
            result.append(contentsOf: character.lowercased())
        }
        return result
    }
}
