using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EmailInfra.Infrastructure.Storage;

/// <summary>Makes arbitrary strings safe as table keys, which may not contain / \ # ? or control characters.</summary>
internal static class TableKey
{
    /// <summary>Reversible escape: letters, digits and @._+=- stay; anything else becomes ~XX per UTF-8 byte.</summary>
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '_' or '+' or '=' or '-'))
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('~').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>A fixed-length key for values that may be long or hostile (Message-IDs, event keys).</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    public static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
