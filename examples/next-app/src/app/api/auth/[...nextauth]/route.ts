import NextAuth from "next-auth";
import { authOptions } from "../../../../auth.ts";

type Context = { params: Promise<{ nextauth: string[] }> };

// next-auth reads the request's cookies and headers: never cache or prerender this route.
export const dynamic = "force-dynamic";

function handler(request: Request, context: Context): Promise<Response> {
  return NextAuth(authOptions())(request, context);
}

export { handler as GET, handler as POST };
