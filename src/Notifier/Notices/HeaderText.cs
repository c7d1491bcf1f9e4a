using System.Text;

namespace Notifier.Notices;

/// <summary>
/// Makes a case field safe to put into a header. MimeKit folds and encodes what it is given, but a CR or LF in a
/// value (a host name, a contact name, a subject built from case data) must never be able to end the header and
/// start another (header injection), whatever the encoder does; so every control character becomes a space here,
/// before MimeKit sees the value, and runs of white space collapse to one.
/// </summary>
internal static class HeaderText
{
    public static string SingleLine(string value)
    {
        var text = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029')
            {
                space = true;
                continue;
            }
            if (space && text.Length > 0) text.Append(' ');
            space = false;
            text.Append(c);
        }
        return text.ToString();
    }
}
