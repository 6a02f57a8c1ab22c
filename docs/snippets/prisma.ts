// Stands in for your lib/prisma.ts, `export const prisma = new PrismaClient()`, with the methods the
// Prisma sample calls typed as the client that `prisma generate` makes from the schema on the Stripe
// page. (Generating the real client needs Prisma's engines, which this site's build cannot download.)
interface UserDelegate {
  update(args: {
    where: { id: string };
    data: { stripeCustomerId?: string | null };
  }): Promise<{ id: string; stripeCustomerId: string | null }>;
  findUnique(args: {
    where: { id: string };
    select: { stripeCustomerId: true };
  }): Promise<{ stripeCustomerId: string | null } | null>;
}

export declare const prisma: { user: UserDelegate };
